/**
 * SLA policies and their three clocks — respond, on site, resolve — computed from the time a
 * fault was opened. Pure: the caller passes `now`.
 *
 * Rules:
 * - A business-hours clock starts at the next opening when a fault comes in outside working
 *   time and runs only during working time; a calendar clock runs from `openedAt`, 24/7.
 * - Resolve: end of the Nth full working day (see `endOfNthWorkingDay`), counted in business time.
 * - Warning: when `warnBeforePct` % of the clock's allowance (as the clock counts it) is left.
 *   0 % never warns.
 * - Breached: `now` is after the deadline (a milestone exactly at the deadline is met).
 * - A milestone stops a clock: met if at or before the deadline, met-late after it. Arriving on
 *   site also counts as a response, and resolving counts as both (a fault fixed remotely needs
 *   no visit). Milestones later than `now` are not yet known.
 * - `remainingMs` is counted like the clock: business time for business clocks. It is the time
 *   left at `now` (negative once breached; it does not grow outside working time), or, for a
 *   stopped clock, the time that was left when it was stopped (negative when met late).
 */
import { addBusinessTime, businessTimeBetween, endOfNthWorkingDay, nextWorkingTime, type BusinessCalendar } from './calendar.js';
import { HOUR_MS } from './zone.js';

/** How a clock counts: only working time of the calendar, or all elapsed time. */
export type ClockBasis = 'business' | 'calendar';

export const SLA_CLOCKS = ['respond', 'onSite', 'resolve'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];

export interface SlaPolicy {
  id: string;
  name: string;
  respondWithin: { hours: number; calendar: ClockBasis };
  onSiteWithin: { hours: number; calendar: ClockBasis };
  resolveWithin: { workingDays: number };
  /** Warn when this share (0–100 %) of a clock's allowance is left. */
  warnBeforePct: number;
}

/** Respond within 4 business hours, on site within 24 h, resolved within 5 working days; warn at 20 % left. */
export const DEFAULT_POLICY: SlaPolicy = {
  id: 'default',
  name: 'Standard',
  respondWithin: { hours: 4, calendar: 'business' },
  onSiteWithin: { hours: 24, calendar: 'calendar' },
  resolveWithin: { workingDays: 5 },
  warnBeforePct: 20,
};

export interface ClockDeadline {
  basis: ClockBasis;
  /** When the clock starts running (the next opening for a business clock opened after hours). */
  startsAt: number;
  deadline: number;
  /** When the warning threshold is reached; null when the policy does not warn. */
  warnAt: number | null;
  /** The clock's whole allowance, counted as the clock counts. */
  allowanceMs: number;
}

export interface SlaDeadlines {
  openedAt: number;
  calendar: BusinessCalendar;
  respondBy: number;
  onSiteBy: number;
  resolveBy: number;
  clocks: Record<SlaClock, ClockDeadline>;
}

export interface SlaMilestones {
  respondedAt?: number | undefined;
  onSiteAt?: number | undefined;
  resolvedAt?: number | undefined;
}

export type ClockState = 'running' | 'warning' | 'breached' | 'met' | 'met-late';

export interface ClockStatus {
  state: ClockState;
  basis: ClockBasis;
  deadline: number;
  warnAt: number | null;
  remainingMs: number;
  /** The milestone that stopped the clock, or null while it runs. */
  metAt: number | null;
}

export type SlaStatus = Record<SlaClock, ClockStatus>;

function clock(cal: BusinessCalendar, openedAt: number, basis: ClockBasis, deadline: number, warnPct: number): ClockDeadline {
  const startsAt = basis === 'business' ? nextWorkingTime(cal, openedAt) : openedAt;
  const allowanceMs = basis === 'business' ? businessTimeBetween(cal, openedAt, deadline) : deadline - openedAt;
  const warnAfter = Math.round((allowanceMs * (100 - warnPct)) / 100);
  const warnAt = warnPct <= 0 ? null : basis === 'business' ? addBusinessTime(cal, startsAt, warnAfter) : openedAt + warnAfter;
  return { basis, startsAt, deadline, warnAt, allowanceMs };
}

function within(cal: BusinessCalendar, openedAt: number, hours: number, basis: ClockBasis): number {
  const ms = Math.round(hours * HOUR_MS);
  return basis === 'business' ? addBusinessTime(cal, openedAt, ms) : openedAt + ms;
}

/** The three deadlines of a fault opened at `openedAt` under a policy and calendar. */
export function slaDeadlines(policy: SlaPolicy, calendar: BusinessCalendar, openedAt: number): SlaDeadlines {
  const { respondWithin: r, onSiteWithin: o } = policy;
  const respondBy = within(calendar, openedAt, r.hours, r.calendar);
  const onSiteBy = within(calendar, openedAt, o.hours, o.calendar);
  const resolveBy = endOfNthWorkingDay(calendar, openedAt, policy.resolveWithin.workingDays);
  const pct = policy.warnBeforePct;
  return {
    openedAt,
    calendar,
    respondBy,
    onSiteBy,
    resolveBy,
    clocks: {
      respond: clock(calendar, openedAt, r.calendar, respondBy, pct),
      onSite: clock(calendar, openedAt, o.calendar, onSiteBy, pct),
      resolve: clock(calendar, openedAt, 'business', resolveBy, pct),
    },
  };
}

const earliest = (...ts: (number | undefined)[]): number | undefined => {
  const known = ts.filter((t): t is number => t !== undefined);
  return known.length === 0 ? undefined : Math.min(...known);
};

/** The instant that stops each clock, as far as known at `now` (see the rules above). */
export function stopTimes(m: SlaMilestones, now: number): Record<SlaClock, number | undefined> {
  const known = (t: number | undefined) => (t !== undefined && t <= now ? t : undefined);
  const [responded, onSite, resolved] = [known(m.respondedAt), known(m.onSiteAt), known(m.resolvedAt)];
  return { respond: earliest(responded, onSite, resolved), onSite: earliest(onSite, resolved), resolve: resolved };
}

function clockStatus(cal: BusinessCalendar, d: ClockDeadline, metAt: number | undefined, now: number): ClockStatus {
  const left = (t: number) => (d.basis === 'business' ? businessTimeBetween(cal, t, d.deadline) : d.deadline - t);
  const base = { basis: d.basis, deadline: d.deadline, warnAt: d.warnAt };
  if (metAt !== undefined) return { ...base, state: metAt <= d.deadline ? 'met' : 'met-late', remainingMs: left(metAt), metAt };
  const state: ClockState = now > d.deadline ? 'breached' : d.warnAt !== null && now >= d.warnAt ? 'warning' : 'running';
  return { ...base, state, remainingMs: left(now), metAt: null };
}

/** The state of every clock at `now`. */
export function slaStatus(deadlines: SlaDeadlines, milestones: SlaMilestones, now: number): SlaStatus {
  const stops = stopTimes(milestones, now);
  const cal = deadlines.calendar;
  return {
    respond: clockStatus(cal, deadlines.clocks.respond, stops.respond, now),
    onSite: clockStatus(cal, deadlines.clocks.onSite, stops.onSite, now),
    resolve: clockStatus(cal, deadlines.clocks.resolve, stops.resolve, now),
  };
}
