/**
 * The alarm lifecycle over an in-memory index of open alarms (loaded from the database at
 * start, so a restart neither loses nor duplicates one):
 *   - one open alarm per (agent, device, component, type); a repeat updates it;
 *   - severity follows the worst rule holding; a worse severity re-opens an acknowledged one;
 *   - flapping: a clear after `flapRaises` raises within `flapWindowS` keeps the alarm open
 *     (flapping = true) until it has been quiet for `flapQuietS`; re-raises meanwhile only
 *     add to its count;
 *   - maintenance: raised inside a site's window → recorded with suppressed, announced
 *     (bus event `alarm`) only if still open when the window is over.
 * Changes gather in a Batch and are written in one transaction; bus events follow the commit.
 */
import type { MetricValue } from '@ledwatch/protocols';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { type AuditEntry, redactDetails } from '../audit/log.js';
import type { HubBus } from '../context.js';
import type { AgentRef } from './directory.js';
import type { MaintenanceCalendar } from './maintenance.js';
import { type AlarmStatements, type OpenAlarm, fromRow, mutable, toView } from './records.js';
import { type Severity, severityRank } from './rule-schema.js';
import type { AlarmChange, AlarmChangeKind, AlarmView, ClearReason } from './types.js';
import { componentPrefix } from './directory.js';

export interface AlarmOptions {
  /** Period of the sweep (stale data, quiet flapping alarms, ended windows, auto-clears); 0 = no timer. */
  sweepIntervalMs: number;
  flapRaises: number;
  flapWindowS: number;
  flapQuietS: number;
  /** While nothing else changes, last seen and last value are written at most this often. */
  persistEveryS: number;
  /** After a hub start, an agent that was online and does not come back within this is offline. */
  offlineGraceS: number;
}

export const DEFAULT_ALARM_OPTIONS: AlarmOptions = { sweepIntervalMs: 5000, flapRaises: 3, flapWindowS: 600, flapQuietS: 600, persistEveryS: 60, offlineGraceS: 120 };

/** Something holds: what the evaluator knows about it. */
export interface Occurrence {
  agent: AgentRef;
  deviceId: string;
  component: string;
  type: string;
  severity: Severity;
  ruleId: string | null;
  value: MetricValue | null;
  message: string | null;
}

interface Change {
  kind: AlarmChangeKind;
  alarm: OpenAlarm;
  view: AlarmView;
}

/** Changes of one evaluation pass, written in one transaction. */
export class Batch {
  readonly dirty = new Set<OpenAlarm>();
  readonly changes: Change[] = [];
  readonly audit: AuditEntry[] = [];
}

export interface LifecycleDeps {
  db: Database.Database;
  st: AlarmStatements;
  bus: HubBus;
  log: Logger;
  now: () => number;
  maintenance: MaintenanceCalendar;
  options: AlarmOptions;
  changes: Counter<'kind'>;
}

export class Lifecycle {
  readonly #open = new Map<string, OpenAlarm>();
  readonly #byId = new Map<number, OpenAlarm>();
  /** Hub times of recent raises per key (flapping). */
  readonly #raises = new Map<string, number[]>();

  constructor(private readonly d: LifecycleDeps) {}

  /** (Re)loads the open alarms from the database. */
  load(): void {
    this.#open.clear();
    this.#byId.clear();
    const now = this.d.now();
    for (const row of this.d.st.open.all()) {
      const rec = fromRow(row);
      const a: OpenAlarm = { ...rec, key: componentPrefix(rec.agentId, rec.deviceId, rec.component) + rec.type, persistedAt: now, quietSince: rec.flapping ? now : undefined };
      this.#open.set(a.key, a);
      this.#byId.set(a.id, a);
    }
  }

  get(key: string): OpenAlarm | undefined {
    return this.#open.get(key);
  }

  byId(id: number): OpenAlarm | undefined {
    return this.#byId.get(id);
  }

  values(): IterableIterator<OpenAlarm> {
    return this.#open.values();
  }

  /** The condition holds: raise, or update the open alarm. `repeat`: a new occurrence (an event) adds to the count. */
  hold(key: string, o: Occurrence, batch: Batch, repeat = false): void {
    const now = this.d.now();
    const a = this.#open.get(key);
    if (a === undefined) {
      this.#raise(key, o, batch, now);
      return;
    }
    let announce = false;
    a.lastSeen = Math.max(a.lastSeen, now);
    a.lastValue = o.value;
    if (o.message !== null) a.message = o.message;
    if (a.quietSince !== undefined || repeat) {
      a.quietSince = undefined;
      a.count++;
      this.#noteRaise(key, now);
      announce = true;
    }
    if (o.severity !== a.severity) {
      const worse = severityRank(o.severity) > severityRank(a.severity);
      a.severity = o.severity;
      a.ruleId = o.ruleId;
      if (worse && a.state === 'acknowledged') Object.assign(a, { state: 'active', ackedBy: null, ackedAt: null });
      announce = true;
    }
    if (announce) this.#mark(batch, a, 'updated');
    else if (now - a.persistedAt >= this.d.options.persistEveryS * 1000) batch.dirty.add(a);
  }

  /** The condition no longer holds: clear, or keep a flapping alarm open until quiet. */
  release(key: string, batch: Batch): void {
    const a = this.#open.get(key);
    if (a === undefined || a.quietSince !== undefined) return;
    const now = this.d.now();
    if (a.flapping || this.#recentRaises(key, now) >= this.d.options.flapRaises) {
      a.quietSince = now;
      if (!a.flapping) {
        a.flapping = true;
        this.#mark(batch, a, 'updated');
      }
      return;
    }
    this.clear(a, 'auto', batch);
  }

  clear(a: OpenAlarm, reason: ClearReason, batch: Batch): void {
    Object.assign(a, { state: 'cleared', clearedAt: this.d.now(), clearReason: reason, quietSince: undefined });
    this.#open.delete(a.key);
    this.#byId.delete(a.id);
    this.#mark(batch, a, 'cleared');
  }

  /** False when it already was acknowledged. */
  acknowledge(a: OpenAlarm, userId: string | null, batch: Batch): boolean {
    if (a.state === 'acknowledged') return false;
    Object.assign(a, { state: 'acknowledged', ackedBy: userId, ackedAt: this.d.now() });
    this.#mark(batch, a, 'acknowledged');
    return true;
  }

  /** Quiet flapping alarms clear; suppressed alarms whose window is over are announced. */
  sweep(batch: Batch): void {
    const now = this.d.now();
    for (const a of [...this.#open.values()]) {
      if (a.quietSince !== undefined && now - a.quietSince >= this.d.options.flapQuietS * 1000) this.clear(a, 'auto', batch);
      else if (a.suppressed && !this.d.maintenance.active(a.siteId, now)) {
        a.suppressed = false;
        this.#mark(batch, a, 'raised');
      }
    }
    const windowMs = this.d.options.flapWindowS * 1000;
    for (const [key, times] of this.#raises) if (times.every((t) => now - t > windowMs)) this.#raises.delete(key);
  }

  commit(batch: Batch): void {
    if (batch.dirty.size === 0 && batch.audit.length === 0) return;
    const { st } = this.d;
    const now = this.d.now();
    try {
      this.d.db.transaction(() => {
        for (const a of batch.dirty) {
          if (a.id === 0) a.id = Number(st.insert.run(a.agentId, a.deviceId, a.component, a.type, a.siteId, a.customerId, a.firstSeen, ...mutable(a)).lastInsertRowid);
          else st.update.run(...mutable(a), a.id);
          a.persistedAt = now;
        }
        for (const e of batch.audit) {
          const details = e.details === undefined ? null : JSON.stringify(redactDetails(e.details));
          st.audit.run(e.at, e.actor.userId, e.actor.tokenId, e.action, e.entity, e.entityId == null ? null : String(e.entityId), details, e.actor.ip);
        }
      })();
    } catch (err) {
      this.load(); // the database is the truth
      throw err;
    }
    for (const a of batch.dirty) if (a.state !== 'cleared' && this.#open.get(a.key) === a) this.#byId.set(a.id, a);
    for (const c of batch.changes) {
      c.view.id = c.alarm.id;
      this.d.changes.inc({ kind: c.kind });
      this.#announce({ kind: c.kind, alarm: c.view });
    }
  }

  /** Calls every `alarm` listener; one that throws (or rejects) is logged and does not stop the others. */
  #announce(change: AlarmChange): void {
    const failed = (err: unknown) => this.d.log.error({ err, alarmId: change.alarm.id, kind: change.kind }, 'an alarm listener failed');
    for (const listener of this.d.bus.rawListeners('alarm')) {
      try {
        const result: unknown = (listener as (c: AlarmChange) => unknown)(change);
        if (result instanceof Promise) result.catch(failed);
      } catch (err) {
        failed(err);
      }
    }
  }

  #raise(key: string, o: Occurrence, batch: Batch, now: number): void {
    const a: OpenAlarm = {
      id: 0,
      agentId: o.agent.id,
      deviceId: o.deviceId,
      component: o.component,
      type: o.type,
      severity: o.severity,
      state: 'active',
      ruleId: o.ruleId,
      siteId: o.agent.siteId,
      customerId: o.agent.customerId,
      firstSeen: now,
      lastSeen: now,
      count: 1,
      lastValue: o.value,
      message: o.message,
      ackedBy: null,
      ackedAt: null,
      clearedAt: null,
      clearReason: null,
      flapping: false,
      suppressed: this.d.maintenance.active(o.agent.siteId, now),
      key,
      persistedAt: now,
    };
    this.#open.set(key, a);
    this.#noteRaise(key, now);
    this.#mark(batch, a, 'raised');
  }

  /** Marks the alarm for writing; announces the change unless the alarm is suppressed. */
  #mark(batch: Batch, a: OpenAlarm, kind: AlarmChangeKind): void {
    batch.dirty.add(a);
    if (!a.suppressed) batch.changes.push({ kind, alarm: a, view: toView(a) });
  }

  #noteRaise(key: string, now: number): void {
    const windowMs = this.d.options.flapWindowS * 1000;
    const times = (this.#raises.get(key) ?? []).filter((t) => now - t <= windowMs);
    times.push(now);
    this.#raises.set(key, times);
  }

  #recentRaises(key: string, now: number): number {
    const windowMs = this.d.options.flapWindowS * 1000;
    return (this.#raises.get(key) ?? []).filter((t) => now - t <= windowMs).length;
  }
}
