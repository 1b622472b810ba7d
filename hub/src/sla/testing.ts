/**
 * Calendars and helpers the SLA tests share. Expected instants are written as ISO strings
 * with the local offset, so a reader can check them against a wall calendar; `iso()` turns
 * both sides into UTC text so a failure shows two readable instants.
 */
import type { BusinessCalendar } from './calendar.js';

/** ms since the epoch of an ISO string with an offset, e.g. `2025-03-31T10:00:00+02:00`. */
export function at(text: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`not an ISO instant: ${text}`);
  return t;
}

/** UTC ISO text of an instant (ms, or an ISO string with an offset). */
export function iso(t: number | string): string {
  return new Date(typeof t === 'string' ? at(t) : t).toISOString();
}

export const HOUR = 3_600_000;

/**
 * Berlin office: Monday–Friday 08:00–18:00 Europe/Berlin, with the 2025 public holidays that
 * fall on weekdays around Easter and Christmas.
 */
export const BERLIN: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  workingDays: [1, 2, 3, 4, 5],
  hours: { start: '08:00', end: '18:00' },
  holidays: ['2025-04-18', '2025-04-21', '2025-05-01', '2025-12-25', '2025-12-26'],
};

/** Round the clock in Berlin: every instant counts, holidays included. */
export const BERLIN_24_7: BusinessCalendar = { ...BERLIN, twentyFourSeven: true };
