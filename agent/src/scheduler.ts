/**
 * The poll scheduler: polls each device on its own interval with at most one poll in
 * flight per device (a tick that finds the previous poll still running is skipped and
 * counted), bounds every poll by a timeout through an AbortSignal, turns a failed poll
 * into an `unreachable` reading instead of an exception, and gathers readings into
 * telemetry batches (flushed every `batchMs`, or at once when `maxBatchReadings` pile up).
 */
import { Reading as ReadingSchema, type Reading } from '@ledwatch/protocols';
import { Compile } from 'typebox/compile';
import { raceAbort } from './abort.js';
import { AgentError, errorMessage } from './errors.js';
import type { Driver } from './drivers/types.js';
import { silentLogger, type Logger } from './log.js';

export interface ScheduledDevice {
  id: string;
  driver: Driver;
  intervalMs: number;
  timeoutMs: number;
}

export interface SchedulerOptions {
  devices: readonly ScheduledDevice[];
  /** Receives each telemetry batch (1..maxBatchReadings readings, in poll order). */
  onBatch: (readings: Reading[]) => void;
  log?: Logger;
  now?: () => number;
  batchMs?: number;
  maxBatchReadings?: number;
}

export interface SchedulerStats {
  polls: number;
  failures: number;
  timeouts: number;
  skipped: number;
  invalidReadings: number;
  batches: number;
}

interface DeviceState {
  device: ScheduledDevice;
  timer: NodeJS.Timeout | undefined;
  /** True from poll() until the driver's promise settles, even past the timeout. */
  busy: boolean;
  controller: AbortController | undefined;
  /** Settles when the current poll's outcome has been handled. */
  outcome: Promise<void> | undefined;
  failing: boolean;
}

const checkReading = Compile(ReadingSchema);
/**
 * Metric names of the contract. The Reading schema states this pattern as
 * patternProperties without forbidding other keys, so it is enforced here as well.
 */
const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;

/** Why a reading breaks the contract, or undefined when it does not. */
function readingProblems(r: unknown): string[] | undefined {
  if (!checkReading.Check(r)) return [...checkReading.Errors(r)].slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`);
  const bad = Object.keys(r.metrics).filter((name) => !METRIC_NAME.test(name));
  return bad.length > 0 ? [`metric names must match ${METRIC_NAME.source}: ${bad.slice(0, 3).join(', ')}`] : undefined;
}

export class Scheduler {
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #onBatch: (readings: Reading[]) => void;
  readonly #batchMs: number;
  readonly #maxBatch: number;
  readonly #devices: DeviceState[];
  #pending: Reading[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #running = false;
  readonly #stats: SchedulerStats = { polls: 0, failures: 0, timeouts: 0, skipped: 0, invalidReadings: 0, batches: 0 };

  constructor(opts: SchedulerOptions) {
    this.#log = opts.log ?? silentLogger();
    this.#now = opts.now ?? Date.now;
    this.#onBatch = opts.onBatch;
    this.#batchMs = opts.batchMs ?? 1000;
    this.#maxBatch = opts.maxBatchReadings ?? 500;
    this.#devices = opts.devices.map((device) => ({ device, timer: undefined, busy: false, controller: undefined, outcome: undefined, failing: false }));
  }

  /** Polls every device now, then on its interval. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const state of this.#devices) {
      state.timer = setInterval(() => this.#tick(state), state.device.intervalMs);
      this.#tick(state);
    }
  }

  /** Stops polling, aborts polls in flight, and flushes what was gathered. */
  async stop(): Promise<void> {
    this.#running = false;
    for (const state of this.#devices) {
      clearInterval(state.timer);
      state.timer = undefined;
      state.controller?.abort(new AgentError('poll-aborted', `poll of ${state.device.id} aborted: the agent is stopping`));
    }
    await Promise.all(this.#devices.map((s) => s.outcome));
    this.flush();
  }

  /** Hands every gathered reading to `onBatch` now. */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxBatch);
      this.#stats.batches++;
      try {
        this.#onBatch(batch);
      } catch (err) {
        this.#log.error({ err: errorMessage(err) }, 'telemetry batch handler failed');
      }
    }
  }

  stats(): SchedulerStats {
    return { ...this.#stats };
  }

  #tick(state: DeviceState): void {
    const { device } = state;
    if (state.busy) {
      this.#stats.skipped++;
      this.#log.debug({ device: device.id }, 'previous poll still running; tick skipped');
      return;
    }
    state.busy = true;
    this.#stats.polls++;
    const controller = new AbortController();
    state.controller = controller;
    const timer = setTimeout(
      () => controller.abort(new AgentError('poll-timeout', `poll of ${device.id} took longer than ${device.timeoutMs} ms`)),
      device.timeoutMs,
    );
    const work = Promise.resolve().then(() => device.driver.poll(controller.signal));
    // The device stays busy until the driver really returns, even if it ignores the signal.
    void work.then(
      () => this.#idle(state, controller),
      () => this.#idle(state, controller),
    );
    state.outcome = raceAbort(work, controller.signal).then(
      (readings) => this.#accept(state, readings),
      (err: unknown) => this.#failed(state, err),
    );
    void state.outcome.finally(() => clearTimeout(timer));
  }

  #idle(state: DeviceState, controller: AbortController): void {
    state.busy = false;
    if (state.controller === controller) state.controller = undefined;
  }

  #accept(state: DeviceState, readings: unknown): void {
    if (!Array.isArray(readings)) {
      this.#failed(state, new Error('driver returned no list of readings'));
      return;
    }
    if (state.failing) this.#log.info({ device: state.device.id }, 'device reachable again');
    state.failing = false;
    for (const r of readings as unknown[]) {
      const why = readingProblems(r);
      if (why === undefined) this.#push(r as Reading);
      else {
        this.#stats.invalidReadings++;
        this.#log.warn({ device: state.device.id, why }, 'driver produced an invalid reading; dropped');
      }
    }
  }

  #failed(state: DeviceState, err: unknown): void {
    const code = err instanceof AgentError ? err.code : undefined;
    if (code === 'poll-aborted') return; // stopping: not a device fault
    this.#stats.failures++;
    if (code === 'poll-timeout') this.#stats.timeouts++;
    const message = errorMessage(err);
    const line = { device: state.device.id, code, err: message };
    if (state.failing) this.#log.debug(line, 'poll failed again');
    else this.#log.warn(line, 'poll failed; device reported unreachable');
    state.failing = true;
    this.#push({ device: state.device.id, at: this.#now(), metrics: { pollError: message.slice(0, 256) }, state: 'unreachable' });
  }

  #push(reading: Reading): void {
    this.#pending.push(reading);
    if (this.#pending.length >= this.#maxBatch) this.flush();
    else this.#flushTimer ??= setTimeout(() => this.flush(), this.#batchMs);
  }
}
