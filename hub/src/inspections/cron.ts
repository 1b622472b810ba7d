/**
 * Inspection schedules are 5-field cron expressions in the site's time zone. node-cron
 * fires them (scheduler.ts); this module decides what they mean, so firing, missed-run
 * detection and the API agree: when both day-of-month and day-of-week are restricted,
 * BOTH must hold (unlike classic cron's OR), so `0 9 1-7 * 1` is the first Monday of the
 * month at 09:00 — the default.
 */
import nodeCron from 'node-cron';
import { DAY_MS, wallTime, zonedInstant } from '../sla/zone.js';

export const DEFAULT_CRON = '0 9 1-7 * 1';

interface Field {
  any: boolean;
  values: Set<number>;
}

export interface CronSpec {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

function field(text: string, min: number, max: number, isDow = false): Field {
  if (text === '*' || text === '?') return { any: true, values: new Set() };
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      lo = Number(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : Number(b);
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || !Number.isInteger(step) || step < 1 || lo < min || hi > max || lo > hi) {
      throw new RangeError(`cron field "${text}" is outside ${min}-${max}`);
    }
    for (let v = lo; v <= hi; v += step) values.add(isDow && v === 7 ? 0 : v);
  }
  return { any: false, values };
}

/** Parses a 5-field expression (minute hour day-of-month month day-of-week); throws RangeError. */
export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 || !nodeCron.validate(expr)) throw new RangeError(`"${expr}" is not a 5-field cron expression (minute hour day month weekday)`);
  const [mi = '', h = '', dom = '', mo = '', dow = ''] = parts;
  return { minute: field(mi, 0, 59), hour: field(h, 0, 23), dom: field(dom, 1, 31), month: field(mo, 1, 12), dow: field(dow, 0, 7, true) };
}

const has = (f: Field, v: number): boolean => f.any || f.values.has(v);

function dayMatches(spec: CronSpec, day: number): boolean {
  const d = new Date(day * DAY_MS);
  return has(spec.month, d.getUTCMonth() + 1) && has(spec.dom, d.getUTCDate()) && has(spec.dow, d.getUTCDay());
}

/** Whether the wall-clock minute of `t` in `timeZone` is a scheduled minute. */
export function isDue(spec: CronSpec, timeZone: string, t: number): boolean {
  const w = wallTime(timeZone, t);
  return dayMatches(spec, w.day) && has(spec.hour, Math.floor(w.minute / 60)) && has(spec.minute, w.minute % 60);
}

/** The latest scheduled instant at or before `t` within `lookbackDays` (undefined if none). */
export function previousDue(spec: CronSpec, timeZone: string, t: number, lookbackDays = 400): number | undefined {
  const now = wallTime(timeZone, t);
  for (let day = now.day; day > now.day - lookbackDays; day--) {
    if (!dayMatches(spec, day)) continue;
    for (let minute = day === now.day ? now.minute : 1439; minute >= 0; minute--) {
      if (has(spec.hour, Math.floor(minute / 60)) && has(spec.minute, minute % 60)) return zonedInstant(timeZone, day, minute);
    }
  }
  return undefined;
}

/** The next scheduled instant after `t` (for the API), within a year. */
export function nextDue(spec: CronSpec, timeZone: string, t: number): number | undefined {
  const now = wallTime(timeZone, t);
  for (let day = now.day; day < now.day + 400; day++) {
    if (!dayMatches(spec, day)) continue;
    for (let minute = day === now.day ? now.minute + 1 : 0; minute < 1440; minute++) {
      if (has(spec.hour, Math.floor(minute / 60)) && has(spec.minute, minute % 60)) return zonedInstant(timeZone, day, minute);
    }
  }
  return undefined;
}
