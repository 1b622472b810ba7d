/**
 * Recurring problems: the same fault (fault type) on the same device, counted per calendar
 * month, quarter and year (UTC). One occurrence is one alarm linked to a ticket, or one
 * manual ticket (which has no alarm) — so three raise/clear cycles count three whether they
 * opened three tickets or linked three alarms to one open ticket. Thresholds are the
 * hub-wide `tickets.recurring`, each overridable per customer (table customer_recurring).
 */
import type Database from 'better-sqlite3';

export type RecurringPeriod = 'month' | 'quarter' | 'year';
export type RecurringThresholds = Record<RecurringPeriod, number>;

/** Start (inclusive) of the calendar month, quarter and year that contain `at`, in UTC. */
export function periodStarts(at: number): Record<RecurringPeriod, number> {
  const d = new Date(at);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return { month: Date.UTC(y, m, 1), quarter: Date.UTC(y, m - (m % 3), 1), year: Date.UTC(y, 0, 1) };
}

export interface FaultKey {
  agentId: string | null;
  deviceId: string | null;
  faultType: string;
}

export interface RecurringResult {
  counts: Record<RecurringPeriod, number>;
  /** The first period whose threshold is reached (month before quarter before year), or null. */
  period: RecurringPeriod | null;
}

export function createRecurringCounter(db: Database.Database) {
  const count = db.prepare<{ agent: string; device: string; type: string; since: number; until: number }, { n: number }>(`
    select
      (select count(*) from ticket_alarms l join tickets t on t.id = l.ticket_id
        where t.agent_id = @agent and t.device_id = @device and t.fault_type = @type and l.raised_at >= @since and l.raised_at <= @until)
    + (select count(*) from tickets t
        where t.source = 'manual' and t.agent_id = @agent and t.device_id = @device and t.fault_type = @type and t.created_at >= @since and t.created_at <= @until)
    as n`);
  return (key: FaultKey, at: number, thresholds: RecurringThresholds): RecurringResult => {
    const starts = periodStarts(at);
    const counts = { month: 0, quarter: 0, year: 0 };
    if (key.agentId === null || key.deviceId === null) return { counts, period: null };
    for (const p of ['month', 'quarter', 'year'] as const) {
      counts[p] = count.get({ agent: key.agentId, device: key.deviceId, type: key.faultType, since: starts[p], until: at })?.n ?? 0;
    }
    const period = (['month', 'quarter', 'year'] as const).find((p) => counts[p] >= thresholds[p]) ?? null;
    return { counts, period };
  };
}

/** A customer's thresholds over the hub-wide ones, and which of them the customer set. */
export interface CustomerThresholds {
  thresholds: RecurringThresholds;
  /** Periods whose threshold comes from the customer (the others are the hub-wide default). */
  own: RecurringPeriod[];
}

export function createThresholdLookup(db: Database.Database, defaults: () => RecurringThresholds) {
  const row = db.prepare<[string], { month: number | null; quarter: number | null; year: number | null }>('select month, quarter, year from customer_recurring where customer_id = ?');
  return (customerId: string): CustomerThresholds => {
    const r = row.get(customerId);
    const thresholds = { ...defaults() };
    const own: RecurringPeriod[] = [];
    for (const p of ['month', 'quarter', 'year'] as const) {
      const v = r?.[p] ?? null;
      if (v !== null) {
        thresholds[p] = v;
        own.push(p);
      }
    }
    return { thresholds, own };
  };
}
