/**
 * Weekly and monthly service summaries over the tickets opened in a period (UTC weeks start
 * on Monday): counts by fault type and state, SLA compliance per clock, recurring problems,
 * mean time to respond and to resolve. As JSON, or flattened to CSV (section,key,value).
 */
import type Database from 'better-sqlite3';
import type { TicketRow } from '../db/index.js';
import { SLA_CLOCKS, type SlaClock } from '../sla/policy.js';
import { ticketSlaStatus } from './sla.js';

export type SummaryPeriod = 'week' | 'month';

export interface ClockCompliance {
  met: number;
  metLate: number;
  breached: number;
  running: number;
  /** met ÷ (met + met late + breached), in %; null when no clock is decided yet. */
  compliancePct: number | null;
}

export interface ServiceSummary {
  period: SummaryPeriod;
  from: number;
  to: number;
  customerId: string | null;
  opened: number;
  byFaultType: { faultType: string; count: number }[];
  byState: { state: string; count: number }[];
  sla: Record<SlaClock, ClockCompliance>;
  recurring: { ticketId: number; number: string; faultType: string; siteId: string; agentId: string | null; deviceId: string | null; count: number | null }[];
  meanTimeToRespondMs: number | null;
  meanTimeToResolveMs: number | null;
}

const DAY = 86_400_000;

/** [from, to) of the UTC week (Monday 00:00) or month that contains `at`. */
export function periodRange(period: SummaryPeriod, at: number): { from: number; to: number } {
  const d = new Date(at);
  if (period === 'month') return { from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const from = midnight - ((d.getUTCDay() + 6) % 7) * DAY;
  return { from, to: from + 7 * DAY };
}

const mean = (xs: number[]): number | null => (xs.length === 0 ? null : Math.round(xs.reduce((a, b) => a + b, 0) / xs.length));

function tally<T extends string>(values: T[]): { key: T; count: number }[] {
  const m = new Map<T, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export function serviceSummary(db: Database.Database, q: { period: SummaryPeriod; at: number; customerId: string | null; now: number }): ServiceSummary {
  const { from, to } = periodRange(q.period, q.at);
  const rows = db
    .prepare<{ from: number; to: number; customer: string | null }, TicketRow>('select * from tickets where created_at >= @from and created_at < @to and (@customer is null or customer_id = @customer) order by id')
    .all({ from, to, customer: q.customerId });
  const sla = Object.fromEntries(SLA_CLOCKS.map((c) => [c, { met: 0, metLate: 0, breached: 0, running: 0, compliancePct: null }])) as Record<SlaClock, ClockCompliance>;
  for (const r of rows) {
    const status = ticketSlaStatus(r, q.now);
    if (status === null) continue;
    for (const c of SLA_CLOCKS) {
      const s = status[c].state;
      const agg = sla[c];
      if (s === 'met') agg.met++;
      else if (s === 'met-late') agg.metLate++;
      else if (s === 'breached') agg.breached++;
      else agg.running++;
    }
  }
  for (const c of SLA_CLOCKS) {
    const a = sla[c];
    const decided = a.met + a.metLate + a.breached;
    a.compliancePct = decided === 0 ? null : Math.round((a.met / decided) * 1000) / 10;
  }
  return {
    period: q.period,
    from,
    to,
    customerId: q.customerId,
    opened: rows.length,
    byFaultType: tally(rows.map((r) => r.fault_type)).map(({ key, count }) => ({ faultType: key, count })),
    byState: tally(rows.map((r) => r.state)).map(({ key, count }) => ({ state: key, count })),
    sla,
    recurring: rows
      .filter((r) => r.recurring === 1)
      .map((r) => ({ ticketId: r.id, number: r.number, faultType: r.fault_type, siteId: r.site_id, agentId: r.agent_id, deviceId: r.device_id, count: r.recurring_count })),
    meanTimeToRespondMs: mean(rows.flatMap((r) => (r.responded_at !== null ? [r.responded_at - r.created_at] : []))),
    meanTimeToResolveMs: mean(rows.flatMap((r) => (r.resolved_at !== null ? [r.resolved_at - r.created_at] : []))),
  };
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The summary flattened to `section,key,value` rows (a spreadsheet opens it as is). */
export function summaryCsv(s: ServiceSummary): string {
  const rows: [string, string, string | number | null][] = [
    ['period', 'period', s.period],
    ['period', 'from', new Date(s.from).toISOString()],
    ['period', 'to', new Date(s.to).toISOString()],
    ['period', 'customerId', s.customerId],
    ['tickets', 'opened', s.opened],
    ...s.byFaultType.map((f): [string, string, number] => ['faultType', f.faultType, f.count]),
    ...s.byState.map((f): [string, string, number] => ['state', f.state, f.count]),
    ...SLA_CLOCKS.flatMap((c): [string, string, number | null][] => [
      [`sla.${c}`, 'compliancePct', s.sla[c].compliancePct],
      [`sla.${c}`, 'met', s.sla[c].met],
      [`sla.${c}`, 'metLate', s.sla[c].metLate],
      [`sla.${c}`, 'breached', s.sla[c].breached],
      [`sla.${c}`, 'running', s.sla[c].running],
    ]),
    ...s.recurring.map((r): [string, string, number | null] => ['recurring', `${r.number} ${r.faultType} ${r.deviceId ?? ''}`.trim(), r.count]),
    ['time', 'meanTimeToRespondMs', s.meanTimeToRespondMs],
    ['time', 'meanTimeToResolveMs', s.meanTimeToResolveMs],
  ];
  return ['section,key,value', ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}
