/**
 * Business calendars: which instants count as working time, in the calendar's own time zone.
 * Pure (no clock, no I/O); times are ms since the Unix epoch.
 *
 * Rules:
 * - A working day is a date whose ISO weekday is in `workingDays` and that is not in
 *   `holidays`; its working time is one interval [start, end) of local wall time (no breaks,
 *   no shifts over midnight; `end` may be `24:00`). `weekdayHours` overrides `hours` per weekday.
 * - Wall times become instants through the zone's rules for that date, so a DST change moves
 *   the UTC instants of 08:00 and 18:00 but never the amount of working time in a day (unless
 *   the day's hours themselves contain the change).
 * - `twentyFourSeven`: every instant is working time and every date a working day; hours,
 *   weekdays and holidays are ignored.
 * - Treat a calendar object as immutable: its parsed form is cached per object.
 */
import { dayOfIsoDate, isoWeekday, isValidTimeZone, minuteOfClock, wallTime, zonedInstant } from './zone.js';

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface WorkingHours {
  /** Local opening time, `HH:MM`. */
  start: string;
  /** Local closing time, `HH:MM` (after start; `24:00` = midnight at the end of the day). */
  end: string;
}

export interface BusinessCalendar {
  /** IANA time zone the hours and holidays are read in, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workingDays: readonly number[];
  hours: WorkingHours;
  /** Hours that differ on some weekdays (e.g. Saturday 09:00–13:00), keyed by ISO weekday. */
  weekdayHours?: Readonly<Partial<Record<IsoWeekday, WorkingHours>>>;
  /** Local dates that are not working days, `YYYY-MM-DD`. */
  holidays: readonly string[];
  twentyFourSeven?: boolean;
}

/** Monday to Friday, 08:00–18:00 UTC, no holidays. */
export const DEFAULT_CALENDAR: BusinessCalendar = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: { start: '08:00', end: '18:00' }, holidays: [] };

/** How far ahead (in days) a search for working time gives up: a calendar with none throws. */
const MAX_DAYS = 366 * 20;

export interface Interval {
  start: number;
  end: number;
}

interface Compiled {
  cal: BusinessCalendar;
  /** Per ISO weekday (index 1..7): [startMinute, endMinute], or undefined when not working. */
  minutes: ([number, number] | undefined)[];
  holidays: Set<number>;
}

const compiled = new WeakMap<BusinessCalendar, Compiled>();

function compile(cal: BusinessCalendar): Compiled {
  let c = compiled.get(cal);
  if (c !== undefined) return c;
  const minutes: ([number, number] | undefined)[] = [];
  for (let wd = 1; wd <= 7; wd++) {
    const h = cal.weekdayHours?.[wd as IsoWeekday] ?? cal.hours;
    const start = minuteOfClock(h.start);
    const end = minuteOfClock(h.end);
    if (start === undefined || end === undefined || end <= start) throw new RangeError(`calendar hours ${h.start}–${h.end} are not a valid working interval`);
    minutes[wd] = cal.twentyFourSeven === true ? [0, 1440] : cal.workingDays.includes(wd) ? [start, end] : undefined;
  }
  const holidays = new Set<number>();
  if (cal.twentyFourSeven !== true) for (const h of cal.holidays) holidays.add(dayOfIsoDate(h) ?? Number.NaN);
  c = { cal, minutes, holidays };
  compiled.set(cal, c);
  return c;
}

/** The day number (days since 1970-01-01) of instant `t` in the calendar's zone. */
export function localDay(cal: BusinessCalendar, t: number): number {
  return wallTime(cal.timeZone, t).day;
}

/** The working interval of a local day (by day number), or undefined when it is not a working day. */
export function workingInterval(cal: BusinessCalendar, day: number): Interval | undefined {
  const c = compile(cal);
  const m = c.minutes[isoWeekday(day)];
  if (m === undefined || c.holidays.has(day)) return undefined;
  return { start: zonedInstant(cal.timeZone, day, m[0]), end: zonedInstant(cal.timeZone, day, m[1]) };
}

/** Working intervals that end after `t`, in order, starting with the local day of `t`. */
function* intervalsFrom(cal: BusinessCalendar, t: number): Generator<Interval> {
  const first = localDay(cal, t);
  for (let day = first; day < first + MAX_DAYS; day++) {
    const iv = workingInterval(cal, day);
    if (iv !== undefined && iv.end > t) yield iv;
  }
  throw new RangeError(`calendar has no working time within ${MAX_DAYS} days of ${new Date(t).toISOString()}`);
}

/** True if `t` is working time (opening instant included, closing instant excluded). */
export function isWorkingTime(cal: BusinessCalendar, t: number): boolean {
  if (cal.twentyFourSeven === true) return true;
  const iv = workingInterval(cal, localDay(cal, t));
  return iv !== undefined && iv.start <= t && t < iv.end;
}

/** `t` itself if it is working time, else the next opening: where a business clock started at `t` begins to run. */
export function nextWorkingTime(cal: BusinessCalendar, t: number): number {
  if (cal.twentyFourSeven === true) return t;
  for (const iv of intervalsFrom(cal, t)) return Math.max(iv.start, t);
  throw new RangeError('unreachable');
}

/**
 * The instant when `durationMs` of working time has passed since `start`. Time outside working
 * hours does not count; a deadline that falls exactly on a closing time stays there (it does
 * not move to the next opening). A zero duration returns `start`.
 */
export function addBusinessTime(cal: BusinessCalendar, start: number, durationMs: number): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError(`duration must be ≥ 0 ms, got ${durationMs}`);
  if (durationMs === 0 || cal.twentyFourSeven === true) return start + durationMs;
  let remaining = durationMs;
  for (const iv of intervalsFrom(cal, start)) {
    const from = Math.max(iv.start, start);
    if (remaining <= iv.end - from) return from + remaining;
    remaining -= iv.end - from;
  }
  throw new RangeError('unreachable');
}

/** Working time between `a` and `b` in ms; negative when `b` is before `a`. */
export function businessTimeBetween(cal: BusinessCalendar, a: number, b: number): number {
  if (b < a) {
    const back = businessTimeBetween(cal, b, a);
    return back === 0 ? 0 : -back;
  }
  if (cal.twentyFourSeven === true) return b - a;
  let total = 0;
  const last = localDay(cal, b);
  for (let day = localDay(cal, a); day <= last; day++) {
    const iv = workingInterval(cal, day);
    if (iv !== undefined) total += Math.max(0, Math.min(iv.end, b) - Math.max(iv.start, a));
  }
  return total;
}

/**
 * Rule "end of the Nth full working day": the closing time of the Nth working day after the
 * clock starts (at `nextWorkingTime(start)`). The day the clock starts on counts as day 1 only
 * if the clock starts at its opening, i.e. the whole day is available (a fault reported at
 * night, on a weekend or a holiday); a fault reported during working hours gets the rest of
 * that day free. So Monday 10:00 + 5 → next Monday 18:00; Saturday + 5 → Friday 18:00.
 */
export function endOfNthWorkingDay(cal: BusinessCalendar, start: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be an integer ≥ 1, got ${n}`);
  const begins = nextWorkingTime(cal, start);
  let count = 0;
  for (const iv of intervalsFrom(cal, begins)) {
    if (iv.start >= begins) count++;
    if (count === n) return iv.end;
  }
  throw new RangeError('unreachable');
}

/** One problem with a calendar definition; `field` is a path such as `hours.end` or `holidays.2`. */
export interface CalendarIssue {
  field: string;
  message: string;
}

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function hoursIssues(h: WorkingHours, field: string): CalendarIssue[] {
  const parsed = minuteOfClock(h.start);
  const start = parsed !== undefined && parsed < 1440 ? parsed : undefined;
  const end = minuteOfClock(h.end);
  const out: CalendarIssue[] = [];
  if (start === undefined) out.push({ field: `${field}.start`, message: `${JSON.stringify(h.start)} is not a time HH:MM between 00:00 and 23:59` });
  if (end === undefined) out.push({ field: `${field}.end`, message: `${JSON.stringify(h.end)} is not a time HH:MM between 00:00 and 24:00` });
  else if (start !== undefined && end <= start) out.push({ field: `${field}.end`, message: `must be after ${field}.start (${h.start}); shifts over midnight are not supported` });
  return out;
}

/** Every problem with a calendar at once (empty when it is usable). */
export function calendarIssues(cal: BusinessCalendar): CalendarIssue[] {
  const out: CalendarIssue[] = [];
  if (!isValidTimeZone(cal.timeZone)) out.push({ field: 'timeZone', message: `${JSON.stringify(cal.timeZone)} is not an IANA time zone (e.g. Europe/Berlin, UTC)` });
  cal.workingDays.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 7) out.push({ field: `workingDays.${i}`, message: 'must be an ISO weekday 1 (Monday) … 7 (Sunday)' });
    else if (cal.workingDays.indexOf(d) !== i) out.push({ field: `workingDays.${i}`, message: `${WEEKDAY_NAMES[d] ?? d} is listed twice` });
  });
  if (cal.workingDays.length === 0 && cal.twentyFourSeven !== true) out.push({ field: 'workingDays', message: 'needs at least one working day (or set twentyFourSeven)' });
  out.push(...hoursIssues(cal.hours, 'hours'));
  for (const [key, h] of Object.entries(cal.weekdayHours ?? {})) {
    const wd = Number(key);
    if (!Number.isInteger(wd) || wd < 1 || wd > 7) out.push({ field: `weekdayHours.${key}`, message: 'key must be an ISO weekday 1 … 7' });
    else if (!cal.workingDays.includes(wd)) out.push({ field: `weekdayHours.${key}`, message: `${WEEKDAY_NAMES[wd] ?? key} is not in workingDays` });
    if (h !== undefined) out.push(...hoursIssues(h, `weekdayHours.${key}`));
  }
  cal.holidays.forEach((h, i) => {
    if (dayOfIsoDate(h) === undefined) out.push({ field: `holidays.${i}`, message: `${JSON.stringify(h)} is not a date YYYY-MM-DD` });
  });
  return out;
}
