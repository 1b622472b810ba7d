/**
 * The `netcheck` driver: reachability of the site's network dependencies — TCP ports
 * (gateway, controllers) and HTTP(S) endpoints (CMS, cloud player) with status, latency
 * and TLS certificate expiry. Targets come only from the config. Each poll checks every
 * target (at most `concurrency` at once) and gives one reading per target, component =
 * target name, plus one device-level summary. A failing target is a reading, not a poll
 * error: the poll rejects only when aborted or after close().
 */
import type { DeviceState } from '@ledwatch/protocols';
import { abortReason } from '../../abort.js';
import { AgentError } from '../../errors.js';
import type { Driver, DriverContext, DriverFactory, InventoryDevice, Reading } from '../types.js';
import { assess, summarize } from './assess.js';
import { mapBounded } from './bounded.js';
import { checkHttp } from './http.js';
import { NetcheckOptionsSchema, type NetcheckOptions } from './options.js';
import { resolveTargets, type Target } from './targets.js';
import { checkTcp } from './tcp.js';

export class NetcheckDriver implements Driver {
  readonly #ctx: DriverContext<NetcheckOptions>;
  readonly #targets: readonly Target[];
  /** One controller per poll in flight, aborted by close(). */
  readonly #polls = new Set<AbortController>();
  readonly #lastState = new Map<string, DeviceState>();
  #closed = false;

  constructor(ctx: DriverContext<NetcheckOptions>, targets: readonly Target[]) {
    this.#ctx = ctx;
    this.#targets = targets;
  }

  inventory(): Promise<InventoryDevice[]> {
    const used = new Set(this.#targets.map((t) => t.type));
    return Promise.resolve([
      {
        id: this.#ctx.device.id,
        kind: 'netcheck',
        name: this.#ctx.device.name ?? 'network checks',
        capabilities: (['tcp', 'http'] as const).filter((c) => used.has(c)),
      },
    ]);
  }

  async poll(signal: AbortSignal): Promise<Reading[]> {
    if (this.#closed) throw closedError(this.#ctx.device.id);
    if (signal.aborted) throw abortReason(signal);
    const poll = new AbortController();
    const forward = (): void => poll.abort(abortReason(signal));
    signal.addEventListener('abort', forward, { once: true });
    this.#polls.add(poll);
    try {
      const readings = await mapBounded(this.#targets, this.#ctx.options.concurrency, (t) => this.#check(t, poll.signal));
      const { state, metrics } = summarize(readings);
      return [{ device: this.#ctx.device.id, at: this.#ctx.now(), metrics, state }, ...readings];
    } finally {
      signal.removeEventListener('abort', forward);
      this.#polls.delete(poll);
    }
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const poll of this.#polls) poll.abort(closedError(this.#ctx.device.id));
    }
    return Promise.resolve();
  }

  async #check(target: Target, signal: AbortSignal): Promise<Reading> {
    const at = this.#ctx.now();
    const result = target.type === 'tcp' ? await checkTcp(target, signal) : await checkHttp(target, signal);
    const { state, metrics } = assess(target, result, this.#ctx.now());
    const last = this.#lastState.get(target.name);
    if (state !== last && (last !== undefined || state !== 'ok')) {
      this.#ctx.log.info({ target: target.name, state, was: last, error: metrics.error }, 'network check changed state');
    }
    this.#lastState.set(target.name, state);
    return { device: this.#ctx.device.id, component: target.name, at, metrics, state };
  }
}

function closedError(deviceId: string): AgentError {
  return new AgentError('driver-closed', `netcheck driver of ${deviceId} is closed`, 'create a new driver to poll again');
}

export function netcheckDriverFactory(): DriverFactory<NetcheckOptions> {
  return {
    kind: 'netcheck',
    optionsSchema: NetcheckOptionsSchema,
    create: (ctx) => new NetcheckDriver(ctx, resolveTargets(ctx.options, `options of device ${ctx.device.id}`)),
  };
}
