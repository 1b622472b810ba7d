/**
 * The state database's latest reading per device and component (`latest_readings`,
 * `devices.state` / `last_reading_at`) and the agents' last seen time and seq, written
 * behind: ingest hands every reading to put(), which keeps only the newest per device and
 * component in memory, and a device is written at most once per `writeEveryMs` (the
 * history store already has every reading; this is the "now" view of it). A fleet's devices
 * report every few seconds: written per reading, these rows were the largest part of the
 * hub's CPU per reading (bench/ingest).
 *
 * - What waits is shown anyway: the API overlays pendingOf() on the rows, so an acked
 *   batch is visible at once.
 * - A device whose state changes is written at the end of the event-loop turn, so counts
 *   of devices by state (fleet pages, inspections) never lag a state change.
 * - `writeEveryMs` 0: everything at the end of the turn.
 * - Agents' last seen and seq are written at the next tick (TICK_MS), all in one transaction.
 * - A hub that dies loses at most `writeEveryMs` of latest values: the agent's next
 *   reading restores them, and the history store has them all. close() writes everything.
 *
 * Pending devices are queued in first-pending order, so each timer tick writes only those
 * that are due, from the front. Not a Map's insertion order: V8 leaves a hole for every
 * entry deleted from a Map until it rehashes, and finding the first live entry walks them
 * all — with a fleet's devices written from the front, peeking cost ~180 µs a call and
 * stalled the hub for seconds (bench/ingest).
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { MetricValue } from '../telemetry/store.js';

export interface Latest {
  at: number;
  metrics: Record<string, MetricValue>;
  state: string | undefined;
}

/** What is pending of one device: its own reading ('' component) and its components'. */
interface PendingDevice {
  /** When it became pending (hub time): due `writeEveryMs` later. */
  since: number;
  own: Latest | undefined;
  /** The newest pending own reading that names a state: the device's state after the write. */
  state: string | undefined;
  stateAt: number;
  components: Map<string, Latest> | undefined;
}

interface PendingAgent {
  seen: number;
  seq: number;
}

interface LatestStatements {
  upsert: Database.Statement<[number, string, number, string, string | null]>;
  touch: Database.Statement<[string | null, number, number, number, number]>;
  state: Database.Statement<[number], { state: string | null }>;
  agent: Database.Statement<[number, number, string]>;
}

/**
 * The timer writes due devices at most this often: a fleet makes ~1/writeEveryMs of its
 * devices due every moment, and writing a whole second's worth at once held the event loop
 * for a tenth of that second (bench/ingest).
 */
const TICK_MS = 200;

export class LatestWriter {
  private pending = new Map<number, PendingDevice>();
  /** pending in first-pending order from `head`; an entry whose device is no longer `pending.get(pk)` was written out of turn. */
  private queue: { pk: number; d: PendingDevice }[] = [];
  private head = 0;
  private agents = new Map<string, PendingAgent>();
  /** Devices whose pending state differs from the one written: written at the end of the turn. */
  private urgent = new Set<number>();
  /** The state last written (or read) per device, to tell a change; states are interned. */
  private readonly states = new Map<number, string | null>();
  private readonly stateNames = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = 0;
  private immediate: NodeJS.Immediate | undefined;
  private readonly st: LatestStatements;
  readonly counts = { writes: 0, devices: 0 };

  constructor(
    private readonly db: Database.Database,
    private readonly writeEveryMs: number,
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
      state: db.prepare('select state from devices where id = ?'),
      agent: db.prepare('update agents set last_seen = ?, last_seq = max(coalesce(last_seq, -1), ?) where id = ?'),
    };
  }

  /** Devices waiting to be written. */
  get size(): number {
    return this.pending.size;
  }

  /** Keeps the reading if it is the newest pending of its device and component. */
  put(devicePk: number, component: string | undefined, at: number, metrics: Record<string, MetricValue>, state: string | undefined): void {
    let d = this.pending.get(devicePk);
    if (d === undefined) {
      d = { since: this.now(), own: undefined, state: undefined, stateAt: -Infinity, components: undefined };
      this.pending.set(devicePk, d);
      this.queue.push({ pk: devicePk, d });
      this.schedule(false);
    }
    // The waiting objects are updated in place: they live for the window, so every
    // replacement would be garbage for the old generation.
    if (component === undefined || component === '') {
      const own = d.own;
      if (own === undefined) d.own = { at, metrics, state };
      else if (at >= own.at) {
        own.at = at;
        own.metrics = metrics;
        own.state = state;
      }
      if (state !== undefined && at >= d.stateAt) {
        d.state = state;
        d.stateAt = at;
        if (state !== this.stateOf(devicePk)) {
          this.urgent.add(devicePk);
          this.schedule(true);
        }
      }
      return;
    }
    const comps = (d.components ??= new Map());
    const prev = comps.get(component);
    if (prev === undefined) comps.set(component, { at, metrics, state });
    else if (at >= prev.at) {
      prev.at = at;
      prev.metrics = metrics;
      prev.state = state;
    }
  }

  /** The agent was heard from (`agents.last_seen`, `last_seq`): written at the next tick, many agents per transaction. */
  touchAgent(agentId: string, seen: number, seq: number): void {
    const a = this.agents.get(agentId);
    if (a === undefined) {
      this.agents.set(agentId, { seen, seq });
      this.schedule(false);
    } else {
      a.seen = Math.max(a.seen, seen);
      a.seq = Math.max(a.seq, seq);
    }
  }

  /** What of a device waits to be written: its own reading and its components' (newest each). */
  pendingOf(devicePk: number): { own: Latest | undefined; state: string | undefined; stateAt: number; components: ReadonlyMap<string, Latest> | undefined } | undefined {
    return this.pending.get(devicePk);
  }

  /** Writes what is due (everything with `all`) in one transaction. */
  flush(all = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.immediate = undefined;
    if (this.pending.size === 0 && this.agents.size === 0) return;
    if (!this.db.open) {
      this.log.warn({ devices: this.pending.size }, 'the state database is closed: latest readings not written');
      this.pending.clear();
      this.queue = [];
      this.head = 0;
      this.agents.clear();
      this.urgent.clear();
      return;
    }
    const now = this.now();
    const dueBefore = all || this.writeEveryMs === 0 ? Infinity : now - this.writeEveryMs;
    const devices: [number, PendingDevice][] = [];
    for (const pk of this.urgent) {
      const d = this.pending.get(pk);
      if (d !== undefined) devices.push([pk, d]);
    }
    let head = this.head;
    for (; head < this.queue.length; head++) {
      const { pk, d } = this.queue[head] as { pk: number; d: PendingDevice };
      if (this.pending.get(pk) !== d) continue; // written out of turn (a state change)
      if (d.since > dueBefore) break;
      if (!this.urgent.has(pk)) devices.push([pk, d]);
    }
    // Agents are few (one row each, not one per device): every tick writes them all.
    const agents = [...this.agents];
    if (devices.length === 0 && agents.length === 0) {
      this.schedule(false);
      return;
    }
    try {
      this.db.transaction(() => {
        for (const [pk, d] of devices) {
          if (d.own !== undefined) {
            this.st.upsert.run(pk, '', d.own.at, JSON.stringify(d.own.metrics), d.own.state ?? null);
            // Not newer than the row (a replay): the row's state stays, and so does ours.
            if (this.st.touch.run(d.state ?? null, d.own.at, now, pk, d.own.at).changes === 0) d.state = undefined;
          }
          if (d.components === undefined) continue;
          for (const [component, l] of d.components) {
            this.st.upsert.run(pk, component, l.at, JSON.stringify(l.metrics), l.state ?? null);
          }
        }
        for (const [id, a] of agents) this.st.agent.run(a.seen, a.seq, id);
      })();
    } catch (err) {
      // Kept pending: the next tick tries again (the history store has the readings anyway).
      this.log.error({ err, devices: devices.length }, 'writing the latest readings failed');
      this.schedule(false);
      return;
    }
    for (const [pk, d] of devices) {
      this.pending.delete(pk);
      if (d.state !== undefined) this.states.set(pk, this.intern(d.state));
    }
    this.advance(head);
    this.agents = new Map(); // all of them were written (and none came in: the transaction is synchronous)
    this.urgent.clear();
    this.counts.writes++;
    this.counts.devices += devices.length;
    if (this.pending.size > 0 || this.agents.size > 0) this.schedule(false);
  }

  /** Writes everything pending and stops the timer. */
  close(): void {
    this.flush(true);
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private stateOf(pk: number): string | null {
    let s = this.states.get(pk);
    if (s === undefined) {
      s = this.st.state.get(pk)?.state ?? null;
      this.states.set(pk, s === null ? null : this.intern(s));
    }
    return s;
  }

  private intern(s: string): string {
    const known = this.stateNames.get(s);
    if (known !== undefined) return known;
    if (this.stateNames.size < 1000) this.stateNames.set(s, s);
    return s;
  }

  /** Drops the written front of the queue: up to `head`, then whatever was written out of turn. */
  private advance(head: number): void {
    while (head < this.queue.length) {
      const e = this.queue[head] as { pk: number; d: PendingDevice };
      if (this.pending.get(e.pk) === e.d) break;
      head++;
    }
    if (head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (head > 1024 && head * 2 > this.queue.length) {
      this.queue = this.queue.slice(head);
      this.head = 0;
    } else {
      this.head = head;
    }
  }

  private schedule(urgent: boolean): void {
    if (urgent || this.writeEveryMs === 0) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.flush();
      });
      return;
    }
    // When the oldest pending device is due, or the next tick for agents; no more often than every TICK_MS.
    const now = this.now();
    const tick = Math.min(TICK_MS, this.writeEveryMs);
    // Called for every device that becomes pending: a set timer is already early enough for
    // it (it is due last), and for an agent if it fires within a tick.
    if (this.timer !== undefined && (this.agents.size === 0 || this.timerAt <= now + tick)) return;
    this.advance(this.head);
    const oldest = this.queue[this.head]?.d.since;
    const due = Math.min(oldest === undefined ? Infinity : oldest + this.writeEveryMs, this.agents.size > 0 ? now : Infinity);
    if (due === Infinity) return;
    const at = now + Math.max(tick, due - now);
    if (this.timer !== undefined) {
      if (this.timerAt <= at) return;
      clearTimeout(this.timer); // an agent came in while the timer waited for a device
    }
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, at - now);
    this.timer.unref();
  }
}
