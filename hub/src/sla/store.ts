/**
 * SLA policies and business calendars in the state database: rows ↔ the pure types, and the
 * one lookup other modules need — which policy and calendar apply to a customer's faults.
 */
import type { Kysely } from 'kysely';
import type { BusinessCalendarRow, DB, SlaPolicyRow } from '../db/index.js';
import type { BusinessCalendar, WorkingHours } from './calendar.js';
import type { SlaPolicy } from './policy.js';

/** Id of the built-in calendar and policy (seeded by migration 007; editable, not deletable). */
export const BUILT_IN_ID = 'default';

export interface StoredCalendar extends BusinessCalendar {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredPolicy extends SlaPolicy {
  calendarId: string;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerSla {
  customerId: string;
  /** 'contract': the customer has a policy of its own; 'default': none, so the built-in one. */
  source: 'contract' | 'default';
  policy: StoredPolicy;
  calendar: StoredCalendar;
}

interface HoursJson extends WorkingHours {
  weekdayHours?: BusinessCalendar['weekdayHours'];
}

export function toCalendar(row: BusinessCalendarRow): StoredCalendar {
  const hours = JSON.parse(row.hours) as HoursJson;
  const cal: StoredCalendar = {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    workingDays: JSON.parse(row.working_days) as number[],
    hours: { start: hours.start, end: hours.end },
    holidays: JSON.parse(row.holidays) as string[],
    twentyFourSeven: row.twenty_four_seven === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (hours.weekdayHours !== undefined && Object.keys(hours.weekdayHours).length > 0) cal.weekdayHours = hours.weekdayHours;
  return cal;
}

/** The columns a calendar is stored in (besides id and times). */
export function calendarColumns(cal: BusinessCalendar & { name: string }) {
  const hours: HoursJson = { start: cal.hours.start, end: cal.hours.end, ...(cal.weekdayHours !== undefined ? { weekdayHours: cal.weekdayHours } : {}) };
  return {
    name: cal.name,
    time_zone: cal.timeZone,
    working_days: JSON.stringify([...cal.workingDays].sort((a, b) => a - b)),
    hours: JSON.stringify(hours),
    holidays: JSON.stringify([...new Set(cal.holidays)].sort()),
    twenty_four_seven: cal.twentyFourSeven === true ? 1 : 0,
  };
}

export function toPolicy(row: SlaPolicyRow): StoredPolicy {
  return {
    id: row.id,
    name: row.name,
    respondWithin: { hours: row.respond_hours, calendar: row.respond_calendar },
    onSiteWithin: { hours: row.on_site_hours, calendar: row.on_site_calendar },
    resolveWithin: { workingDays: row.resolve_working_days },
    warnBeforePct: row.warn_before_pct,
    calendarId: row.calendar_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The columns a policy is stored in (besides id and times). */
export function policyColumns(p: Omit<StoredPolicy, 'id' | 'createdAt' | 'updatedAt'>) {
  return {
    name: p.name,
    respond_hours: p.respondWithin.hours,
    respond_calendar: p.respondWithin.calendar,
    on_site_hours: p.onSiteWithin.hours,
    on_site_calendar: p.onSiteWithin.calendar,
    resolve_working_days: p.resolveWithin.workingDays,
    warn_before_pct: p.warnBeforePct,
    calendar_id: p.calendarId,
  };
}

export async function findCalendar(db: Kysely<DB>, id: string): Promise<StoredCalendar | undefined> {
  const row = await db.selectFrom('business_calendars').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toCalendar(row);
}

export async function findPolicy(db: Kysely<DB>, id: string): Promise<StoredPolicy | undefined> {
  const row = await db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toPolicy(row);
}

/** The id of the policy that applies to a customer: its contract's, else the built-in one. */
export async function policyIdOf(db: Kysely<DB>, customerId: string): Promise<{ policyId: string; source: CustomerSla['source'] }> {
  const row = await db.selectFrom('customer_sla').select('policy_id').where('customer_id', '=', customerId).executeTakeFirst();
  return row === undefined ? { policyId: BUILT_IN_ID, source: 'default' } : { policyId: row.policy_id, source: 'contract' };
}

/** A policy with its calendar (foreign keys guarantee both exist once the policy does). */
export async function policyWithCalendar(db: Kysely<DB>, policyId: string): Promise<{ policy: StoredPolicy; calendar: StoredCalendar } | undefined> {
  const policy = await findPolicy(db, policyId);
  if (policy === undefined) return undefined;
  const calendar = await findCalendar(db, policy.calendarId);
  if (calendar === undefined) throw new Error(`sla policy ${policy.id} refers to missing calendar ${policy.calendarId}`);
  return { policy, calendar };
}

/** The policy and calendar that apply to a customer's faults (what the tickets module asks). */
export async function customerSla(db: Kysely<DB>, customerId: string): Promise<CustomerSla> {
  const { policyId, source } = await policyIdOf(db, customerId);
  const found = await policyWithCalendar(db, policyId);
  if (found === undefined) throw new Error(`sla policy ${policyId} of customer ${customerId} is missing`);
  return { customerId, source, ...found };
}
