/**
 * Self-monitoring. Every `notify.heartbeatEveryS` the hub checks its own stores (reporting
 * each problem as it starts and ends, see problems.ts) and then calls
 * `notify.heartbeatUrl` — a dead-man's switch (healthchecks.io, Uptime Kuma push, Better
 * Stack heartbeats…) that alerts someone when the calls stop, i.e. when the hub is down.
 * No URL configured, no call (a URL is never guessed). A check marked `vouches` (the state
 * database: without it the hub can neither raise alarms nor log notifications) stops the
 * heartbeat while it fails, so the outside monitor raises the alarm instead.
 * The URL may hold a token: only its origin is logged.
 */
import type { HubConfig } from '../config.js';
import type { HubContext } from '../context.js';
import type { NotifyMetrics } from './metrics.js';
import { activeHubProblems, reportHubProblem, type HubProblemKind } from './problems.js';

export interface HealthCheck {
  kind: HubProblemKind;
  /** When failing, the heartbeat is not sent. */
  vouches: boolean;
  run(): Promise<{ ok: boolean; detail: string }>;
}

export interface SelfMonitorOptions {
  ctx: Pick<HubContext, 'bus' | 'log' | 'now'>;
  config: HubConfig['notify'];
  metrics: NotifyMetrics;
  checks: readonly HealthCheck[];
  version: string;
}

export type BeatResult = 'ok' | 'failed' | 'skipped' | 'off';

const FAILURES_BEFORE_PROBLEM = 3;

export class SelfMonitor {
  readonly #o: SelfMonitorOptions;
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<BeatResult> | undefined;
  #failures = 0;
  #running = false;

  constructor(opts: SelfMonitorOptions) {
    this.#o = opts;
    this.#startedAt = opts.ctx.now();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  async close(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#current?.catch(() => undefined);
  }

  /** One round: the checks, then the heartbeat. */
  async beat(): Promise<BeatResult> {
    let vouched = true;
    for (const c of this.#o.checks) {
      const r = await c.run().catch((err: unknown) => ({ ok: false, detail: err instanceof Error ? err.message : String(err) }));
      reportHubProblem(this.#o.ctx, c.kind, !r.ok, r.detail);
      if (!r.ok && c.vouches) vouched = false;
    }
    const url = this.#o.config.heartbeatUrl;
    if (url === undefined) {
      reportHubProblem(this.#o.ctx, 'heartbeat-failing', false, 'no heartbeat URL configured'); // one left open by a run that had one
      this.#failures = 0;
      return 'off';
    }
    if (!vouched) {
      this.#o.metrics.heartbeats.inc({ result: 'skipped' });
      return 'skipped';
    }
    const result = await this.#ping(url);
    this.#o.metrics.heartbeats.inc({ result });
    return result;
  }

  async #ping(url: string): Promise<'ok' | 'failed'> {
    const { heartbeatMethod: method, heartbeatTimeoutMs } = this.#o.config;
    const problems = activeHubProblems(this.#o.ctx.bus).map((p) => p.kind);
    const body = JSON.stringify({ status: problems.length === 0 ? 'ok' : 'degraded', version: this.#o.version, uptimeS: Math.round((this.#o.ctx.now() - this.#startedAt) / 1000), problems });
    let error: string | undefined;
    try {
      const res = await fetch(url, {
        method,
        signal: AbortSignal.timeout(heartbeatTimeoutMs),
        headers: { 'user-agent': 'ledwatch-hub', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { body } : {}),
      });
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) error = `HTTP ${String(res.status)}`;
    } catch (err) {
      const e = err as { name?: string; message?: string; cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? `no answer within ${String(heartbeatTimeoutMs)} ms` : (e.cause?.code ?? e.message ?? String(err));
    }
    if (error === undefined) {
      this.#failures = 0;
      reportHubProblem(this.#o.ctx, 'heartbeat-failing', false, 'heartbeat answered again');
      return 'ok';
    }
    this.#failures++;
    this.#o.ctx.log.warn({ module: 'heartbeat', origin: new URL(url).origin, error, failures: this.#failures }, 'heartbeat failed');
    if (this.#failures >= FAILURES_BEFORE_PROBLEM) {
      reportHubProblem(this.#o.ctx, 'heartbeat-failing', true, `heartbeat to ${new URL(url).origin} failed ${String(this.#failures)} times in a row: ${error}`);
    }
    return 'failed';
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#current = this.beat();
      void this.#current
        .catch((err: unknown) => {
          this.#o.ctx.log.error({ err }, 'self-check failed');
          return 'failed' as const;
        })
        .finally(() => {
          if (this.#running) this.#schedule(this.#o.config.heartbeatEveryS * 1000);
        });
    }, delayMs);
    this.#timer.unref();
  }
}
