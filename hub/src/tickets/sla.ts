/**
 * SLA clocks of tickets: the customer's policy and calendar are copied onto the ticket when
 * it opens (later edits of the policy do not move the deadlines of open tickets), and the
 * open tickets are watched by one SlaMonitor keyed by ticket id.
 */
import type Database from 'better-sqlite3';
import type { BusinessCalendarRow, SlaPolicyRow, TicketRow } from '../db/index.js';
import type { BusinessCalendar } from '../sla/calendar.js';
import type { SlaEventKey, SlaItem } from '../sla/monitor.js';
import { slaDeadlines, slaStatus, type SlaMilestones, type SlaPolicy, type SlaStatus } from '../sla/policy.js';
import { BUILT_IN_ID, toCalendar, toPolicy } from '../sla/store.js';

export interface SlaSnapshot {
  policy: SlaPolicy;
  calendar: BusinessCalendar;
}

/** The policy and calendar that apply to a customer now (synchronous twin of sla/store.ts customerSla). */
export function loadCustomerSla(db: Database.Database, customerId: string): SlaSnapshot | undefined {
  const contract = db.prepare<[string], { policy_id: string }>('select policy_id from customer_sla where customer_id = ?').get(customerId);
  const policyRow = db.prepare<[string], SlaPolicyRow>('select * from sla_policies where id = ?').get(contract?.policy_id ?? BUILT_IN_ID);
  if (policyRow === undefined) return undefined;
  const calRow = db.prepare<[string], BusinessCalendarRow>('select * from business_calendars where id = ?').get(policyRow.calendar_id);
  if (calRow === undefined) return undefined;
  const { createdAt: _c, updatedAt: _u, calendarId: _id, ...policy } = toPolicy(policyRow);
  const { id: _cid, name: _n, createdAt: _cc, updatedAt: _cu, ...calendar } = toCalendar(calRow);
  return { policy, calendar };
}

export function snapshotOf(row: TicketRow): SlaSnapshot | undefined {
  if (row.sla_snapshot === null) return undefined;
  try {
    return JSON.parse(row.sla_snapshot) as SlaSnapshot;
  } catch {
    return undefined;
  }
}

export function milestonesOf(row: TicketRow): SlaMilestones {
  return { respondedAt: row.responded_at ?? undefined, onSiteAt: row.on_site_at ?? undefined, resolvedAt: row.resolved_at ?? undefined };
}

export function emittedOf(row: TicketRow): SlaEventKey[] {
  try {
    return JSON.parse(row.sla_emitted) as SlaEventKey[];
  } catch {
    return [];
  }
}

/** The monitor item of a ticket, or undefined when it has no SLA. */
export function slaItemOf(row: TicketRow): SlaItem | undefined {
  const snap = snapshotOf(row);
  if (snap === undefined) return undefined;
  return { id: String(row.id), policy: snap.policy, calendar: snap.calendar, openedAt: row.created_at, milestones: milestonesOf(row), emitted: emittedOf(row) };
}

/** Clock states of a ticket at `now`, or null when it has no SLA. */
export function ticketSlaStatus(row: TicketRow, now: number): SlaStatus | null {
  const snap = snapshotOf(row);
  if (snap === undefined) return null;
  return slaStatus(slaDeadlines(snap.policy, snap.calendar, row.created_at), milestonesOf(row), now);
}
