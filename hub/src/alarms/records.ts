/**
 * Alarm records: a row of the `alarms` table in camelCase (the same fields as AlarmView),
 * and the prepared statements that read and write them.
 */
import type { MetricValue } from '@ledwatch/protocols';
import type Database from 'better-sqlite3';
import type { AlarmRow } from '../db/index.js';
import type { AlarmView } from './types.js';

export type AlarmRecord = AlarmView;

/** An open alarm in the in-memory index. */
export interface OpenAlarm extends AlarmRecord {
  key: string;
  /** Hub time the row was last written (last seen / last value are written at most every persistEveryS). */
  persistedAt: number;
  /** Flapping and no longer holding: cleared when quiet for flapQuietS from this hub time. */
  quietSince?: number | undefined;
}

function parseValue(text: string | null): MetricValue | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

export function fromRow(r: AlarmRow): AlarmRecord {
  return {
    id: r.id,
    agentId: r.agent_id,
    deviceId: r.device_id,
    component: r.component,
    type: r.type,
    severity: r.severity,
    state: r.state,
    ruleId: r.rule_id,
    siteId: r.site_id,
    customerId: r.customer_id,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    count: r.count,
    lastValue: parseValue(r.last_value),
    message: r.message,
    ackedBy: r.acked_by,
    ackedAt: r.acked_at,
    clearedAt: r.cleared_at,
    clearReason: r.clear_reason,
    flapping: r.flapping !== 0,
    suppressed: r.suppressed !== 0,
  };
}

/** The view of a record: a copy, so bus listeners never hold the live index entry. */
export function toView(a: AlarmRecord): AlarmView {
  return {
    id: a.id,
    agentId: a.agentId,
    deviceId: a.deviceId,
    component: a.component,
    type: a.type,
    severity: a.severity,
    state: a.state,
    ruleId: a.ruleId,
    siteId: a.siteId,
    customerId: a.customerId,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    count: a.count,
    lastValue: a.lastValue,
    message: a.message,
    ackedBy: a.ackedBy,
    ackedAt: a.ackedAt,
    clearedAt: a.clearedAt,
    clearReason: a.clearReason,
    flapping: a.flapping,
    suppressed: a.suppressed,
  };
}

type Mutable = [string, string, string | null, number, number, string | null, string | null, string | null, number | null, number | null, string | null, number, number];

export function prepareAlarmStatements(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, string, string, string, string, number, ...Mutable]>(
      `insert into alarms (agent_id, device_id, component, type, site_id, customer_id, first_seen,
         severity, state, rule_id, last_seen, count, last_value, message, acked_by, acked_at, cleared_at, clear_reason, flapping, suppressed)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare<[...Mutable, number]>(
      `update alarms set severity = ?, state = ?, rule_id = ?, last_seen = ?, count = ?, last_value = ?, message = ?,
         acked_by = ?, acked_at = ?, cleared_at = ?, clear_reason = ?, flapping = ?, suppressed = ? where id = ?`,
    ),
    open: db.prepare<[], AlarmRow>("select * from alarms where state != 'cleared' order by id"),
    byId: db.prepare<[number], AlarmRow>('select * from alarms where id = ?'),
    audit: db.prepare<[number, string | null, string | null, string, string, string | null, string | null, string | null]>(
      'insert into audit_log (at, actor_user_id, actor_token_id, action, entity, entity_id, details, ip) values (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
  };
}

export type AlarmStatements = ReturnType<typeof prepareAlarmStatements>;

/** The mutable columns of a record, in statement order. */
export function mutable(a: AlarmRecord): Mutable {
  return [
    a.severity,
    a.state,
    a.ruleId,
    a.lastSeen,
    a.count,
    a.lastValue === null ? null : JSON.stringify(a.lastValue),
    a.message,
    a.ackedBy,
    a.ackedAt,
    a.clearedAt,
    a.clearReason,
    a.flapping ? 1 : 0,
    a.suppressed ? 1 : 0,
  ];
}
