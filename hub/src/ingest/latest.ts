/**
 * The state database's latest reading per device and component (`latest_readings`, and
 * `devices.state` / `last_reading_at`), written coalesced: ingest hands every reading to
 * put(), which keeps only the newest per device and component in memory, and flush()
 * writes what is pending in one transaction, one upsert per device/component (not per
 * reading), `flushMs` after the first pending reading (0: at the end of the event-loop turn,
 * which already coalesces every batch handled in that turn). A batch is acked only after
 * the flush that wrote it (ingest awaits flushed()), so once an agent has its ack, the
 * API shows its readings. Per reading the hot path does a map lookup, no SQL, no JSON.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { MetricValue } from '../telemetry/store.js';

interface Latest {
  at: number;
  metrics: Record<string, MetricValue>;
  state: string | undefined;
}

/** What is pending of one device: its own reading ('' component) and its components'. */
interface PendingDevice {
  own: Latest | undefined;
  /** The newest pending own reading that names a state: the device's state after the flush. */
  state: string | undefined;
  stateAt: number;
  components: Map<string, Latest> | undefined;
}

interface LatestStatements {
  upsert: Database.Statement<[number, string, number, string, string | null]>;
  touch: Database.Statement<[string | null, number, number, number, number]>;
}

export class LatestWriter {
  private pending = new Map<number, PendingDevice>();
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private readonly st: LatestStatements;

  constructor(
    private readonly db: Database.Database,
    private readonly flushMs: number,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {
    this.st = {
      upsert: db.prepare(
        `insert into latest_readings (device_pk, component, at, metrics, state) values (?, ?, ?, ?, ?)
         on conflict (device_pk, component) do update set at = excluded.at, metrics = excluded.metrics, state = excluded.state
         where excluded.at >= latest_readings.at`,
      ),
      touch: db.prepare(
        `update devices set state = coalesce(?, state), last_reading_at = ?, updated_at = ?
         where id = ? and (last_reading_at is null or last_reading_at <= ?)`,
      ),
    };
  }

  /** Readings waiting for the next flush (devices and components). */
  get size(): number {
    return this.pending.size;
  }

  /** Keeps the reading if it is the newest pending of its device and component. */
  put(devicePk: number, component: string | undefined, at: number, metrics: Record<string, MetricValue>, state: string | undefined): void {
    let d = this.pending.get(devicePk);
    if (d === undefined) {
      d = { own: undefined, state: undefined, stateAt: -Infinity, components: undefined };
      this.pending.set(devicePk, d);
      this.schedule();
    }
    if (component === undefined || component === '') {
      if (d.own === undefined || at >= d.own.at) d.own = { at, metrics, state };
      if (state !== undefined && at >= d.stateAt) {
        d.state = state;
        d.stateAt = at;
      }
      return;
    }
    const comps = (d.components ??= new Map());
    const prev = comps.get(component);
    if (prev === undefined || at >= prev.at) comps.set(component, { at, metrics, state });
  }

  /** Resolves after the flush that writes what is pending now (at once when nothing is). */
  flushed(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Writes everything pending in one transaction. */
  flush(): void {
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
    const pending = this.pending;
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    if (pending.size === 0) {
      for (const w of waiters) w.resolve();
      return;
    }
    if (!this.db.open) {
      for (const w of waiters) w.reject(new Error('the state database is closed'));
      return;
    }
    const now = this.now();
    try {
      this.db.transaction(() => {
        for (const [pk, d] of pending) {
          if (d.own !== undefined) {
            this.st.upsert.run(pk, '', d.own.at, JSON.stringify(d.own.metrics), d.own.state ?? null);
            this.st.touch.run(d.state ?? null, d.own.at, now, pk, d.own.at);
          }
          if (d.components === undefined) continue;
          for (const [component, l] of d.components) {
            this.st.upsert.run(pk, component, l.at, JSON.stringify(l.metrics), l.state ?? null);
          }
        }
      })();
    } catch (err) {
      // Not acked: the agents send these batches again.
      this.log.error({ err, devices: pending.size }, 'writing the latest readings failed');
      for (const w of waiters) w.reject(err as Error);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = this.flushMs > 0 ? setTimeout(() => this.flush(), this.flushMs) : setImmediate(() => this.flush());
  }

  /** Writes what is pending and stops the timer. */
  close(): void {
    this.flush();
  }
}
