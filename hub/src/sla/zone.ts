/**
 * Wall-clock time in an IANA time zone ↔ UTC instants, with nothing but `Intl` (no time-zone
 * library). Days are counted as "day numbers" (days since 1970-01-01 on the civil calendar),
 * so date arithmetic is integer arithmetic and never crosses a DST change by accident.
 *
 * Disambiguation follows Temporal's `'compatible'` rule: a wall time skipped by a spring-
 * forward change is moved forward by the gap (02:30 → 03:30 in Europe/Berlin), and a wall
 * time that occurs twice in an autumn change means the earlier instant.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface WallTime {
  /** Days since 1970-01-01 in the zone's civil calendar. */
  day: number;
  /** Minutes since local midnight, 0..1439. */
  minute: number;
  /** Milliseconds past that minute. */
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True if `Intl` knows the zone (e.g. `Europe/Berlin`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's UTC offset at instant `t`, in ms (Berlin in summer: +7_200_000). */
export function offsetAt(timeZone: string, t: number): number {
  const seconds = Math.floor(t / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(seconds)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return asUtc - seconds;
}

/** The local wall time of instant `t` in the zone. */
export function wallTime(timeZone: string, t: number): WallTime {
  const local = t + offsetAt(timeZone, t);
  const day = Math.floor(local / DAY_MS);
  const inDay = local - day * DAY_MS;
  return { day, minute: Math.floor(inDay / MINUTE_MS), ms: inDay % MINUTE_MS };
}

/** The instant at which the zone's clocks show `minute` minutes past midnight of `day` (minute may be 1440 = next midnight). */
export function zonedInstant(timeZone: string, day: number, minute: number): number {
  const local = day * DAY_MS + minute * MINUTE_MS;
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  const candidates = [...new Set([before, after])].map((o) => local - o).filter((t) => t + offsetAt(timeZone, t) === local);
  if (candidates.length > 0) return Math.min(...candidates); // one match, or the earlier of a repeated hour
  return local - before; // skipped by a spring-forward gap: the offset before the change pushes it forward
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Day number of an ISO date `YYYY-MM-DD`, or undefined if it is not a real date. */
export function dayOfIsoDate(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / DAY_MS;
}

/** Minutes since midnight of `HH:MM` (00:00 … 24:00), or undefined if malformed. */
export function minuteOfClock(hhmm: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (m === null) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}
