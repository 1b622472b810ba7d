/**
 * The `synthetic` driver: a deterministic producer of readings with no equipment behind
 * it — a pipeline check on a fresh site, a commissioning load generator, and the producer
 * of the fault tests (test/e2e/faults).
 *
 * Each poll emits `readingsPerPoll` readings at the poll time: `device` = the configured
 * id, `component` = c0, c1, … (none when readingsPerPoll is 1), metrics `n` — a counter
 * that rises with every reading, and across restarts when a journal is kept — plus filler
 * metrics m1, m2, … derived from n, state ok. With `journal`, every reading is appended to
 * that file (journal.ts) before the poll returns. With `backfill`, the first poll also
 * emits the backlog a site would have gathered while its uplink was down: one reading per
 * component every `everyS` seconds over the past `hours`, oldest first (only while the
 * journal is empty, so a restarted agent does not produce the backlog twice; without a
 * journal, at the first poll of every driver instance).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { abortReason } from '../../abort.js';
import { AgentError } from '../../errors.js';
import type { DeviceConfig } from '../../config.js';
import type { Driver, DriverContext, DriverFactory, InventoryDevice, Reading } from '../types.js';
import { journalLine, prepareJournal } from './journal.js';
import { MAX_BACKFILL_READINGS, SyntheticOptionsSchema, type SyntheticOptions } from './options.js';

/** Number of backlog times (per component) the options ask for. */
export function backfillSlots(options: SyntheticOptions): number {
  return options.backfill === undefined ? 0 : Math.floor((options.backfill.hours * 3600) / options.backfill.everyS);
}

/** Filler metric `m<j>` of the reading with counter `n`: deterministic, in [0, 100). */
export function fillerValue(n: number, j: number): number {
  return ((n * 7919 + j * 104_729) % 10_000) / 100;
}

export interface SyntheticDriverHooks {
  /** While it returns true the device does not answer: a poll waits for its abort (tests). */
  silent?: () => boolean;
}

export class SyntheticDriver implements Driver {
  readonly #ctx: DriverContext<SyntheticOptions>;
  readonly #hooks: SyntheticDriverHooks;
  readonly #components: (string | undefined)[];
  /** Counter of the next reading; read from the journal at the first poll. */
  #next: number | undefined;
  #backfillDue: boolean;
  #closed = false;
  readonly #waiting = new Set<(err: Error) => void>();

  constructor(ctx: DriverContext<SyntheticOptions>, hooks: SyntheticDriverHooks = {}) {
    this.#ctx = ctx;
    this.#hooks = hooks;
    const k = ctx.options.readingsPerPoll;
    this.#components = k === 1 ? [undefined] : Array.from({ length: k }, (_, i) => `c${i}`);
    this.#backfillDue = ctx.options.backfill !== undefined;
  }

  inventory(): Promise<InventoryDevice[]> {
    return Promise.resolve([
      {
        id: this.#ctx.device.id,
        kind: 'synthetic',
        name: this.#ctx.device.name ?? 'synthetic load',
        model: 'ledwatch synthetic',
        capabilities: ['synthetic'],
      },
    ]);
  }

  async poll(signal: AbortSignal): Promise<Reading[]> {
    if (this.#closed) throw closedError(this.#ctx.device.id);
    if (signal.aborted) throw abortReason(signal);
    if (this.#hooks.silent?.() === true) await this.#neverAnswer(signal);
    const { options, device } = this.#ctx;
    const at = this.#ctx.now();
    let n = this.#counter();
    const times: number[] = [];
    if (this.#backfillDue && options.backfill !== undefined) {
      const slots = backfillSlots(options);
      const everyMs = Math.round(options.backfill.everyS * 1000);
      for (let i = slots; i >= 1; i--) times.push(at - i * everyMs);
    }
    times.push(at);
    const readings: Reading[] = [];
    let journal = '';
    for (const t of times) {
      for (const component of this.#components) {
        const metrics: Reading['metrics'] = { n };
        for (let j = 1; j < options.metrics; j++) metrics[`m${j}`] = fillerValue(n, j);
        const reading: Reading = { device: device.id, at: t, metrics, state: 'ok' };
        if (component !== undefined) reading.component = component;
        readings.push(reading);
        if (options.journal !== undefined) journal += journalLine(component, t);
        n++;
      }
    }
    // Recorded before the readings leave the driver: the journal never misses one.
    if (options.journal !== undefined) appendFileSync(options.journal, journal);
    this.#next = n;
    this.#backfillDue = false;
    return readings;
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      for (const fail of this.#waiting) fail(closedError(this.#ctx.device.id));
    }
    return Promise.resolve();
  }

  #counter(): number {
    if (this.#next !== undefined) return this.#next;
    const file = this.#ctx.options.journal;
    if (file === undefined) return 0;
    mkdirSync(dirname(file), { recursive: true });
    const lines = prepareJournal(file);
    if (lines > 0) this.#backfillDue = false; // produced before this start: not again
    return lines;
  }

  /** A device that does not answer: rejects when the poll is aborted or the driver closed. */
  #neverAnswer(signal: AbortSignal): Promise<never> {
    return new Promise<never>((_, reject) => {
      const fail = (err: Error): void => {
        signal.removeEventListener('abort', onAbort);
        this.#waiting.delete(fail);
        reject(err);
      };
      const onAbort = (): void => fail(abortReason(signal));
      this.#waiting.add(fail);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function closedError(deviceId: string): AgentError {
  return new AgentError('driver-closed', `synthetic driver of ${deviceId} is closed`, 'create a new driver to poll again');
}

/** Checks a schema cannot express: the backlog must fit in one poll's memory. */
export function checkSyntheticOptions(device: DeviceConfig, options: SyntheticOptions): void {
  const total = backfillSlots(options) * options.readingsPerPoll;
  if (total > MAX_BACKFILL_READINGS) {
    throw Object.assign(new Error(`backfill of ${device.id} would emit ${total} readings at once, more than ${MAX_BACKFILL_READINGS}`), {
      hint: 'shorten backfill.hours, raise backfill.everyS or lower readingsPerPoll',
    });
  }
}

export function syntheticDriverFactory(hooks: SyntheticDriverHooks = {}): DriverFactory<SyntheticOptions> {
  return {
    kind: 'synthetic',
    optionsSchema: SyntheticOptionsSchema,
    check: checkSyntheticOptions,
    create: (ctx) => new SyntheticDriver(ctx, hooks),
  };
}
