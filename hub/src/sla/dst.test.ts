import { describe, expect, test } from 'vitest';
import { addBusinessTime, businessTimeBetween, isWorkingTime, workingInterval } from './calendar.js';
import { BERLIN, BERLIN_24_7, HOUR, at, iso } from './testing.js';
import { dayOfIsoDate, offsetAt, wallTime, zonedInstant } from './zone.js';

const day = (date: string): number => {
  const d = dayOfIsoDate(date);
  if (d === undefined) throw new Error(date);
  return d;
};

describe('wall time ↔ instants in Europe/Berlin', () => {
  test('the offset is +01:00 in winter and +02:00 in summer', () => {
    expect(offsetAt('Europe/Berlin', at('2025-03-30T00:59:59Z'))).toBe(1 * HOUR);
    expect(offsetAt('Europe/Berlin', at('2025-03-30T01:00:00Z'))).toBe(2 * HOUR);
  });

  test('02:30 on the spring-forward Sunday does not exist and moves forward to 03:30', () => {
    expect(iso(zonedInstant('Europe/Berlin', day('2025-03-30'), 150))).toBe(iso('2025-03-30T03:30:00+02:00'));
  });

  test('02:30 on the fall-back Sunday happens twice and means the earlier one', () => {
    expect(iso(zonedInstant('Europe/Berlin', day('2025-10-26'), 150))).toBe(iso('2025-10-26T02:30:00+02:00'));
  });

  test('an instant reads back as the local day and minute it was built from', () => {
    expect(wallTime('Europe/Berlin', at('2025-07-01T23:45:00+02:00'))).toEqual({ day: day('2025-07-01'), minute: 23 * 60 + 45, ms: 0 });
  });

  test('a zone whose DST change skips midnight opens at 01:00 that day', () => {
    // America/Santiago springs forward at 00:00 on 2025-09-07 (-04:00 → -03:00).
    expect(iso(zonedInstant('America/Santiago', day('2025-09-07'), 0))).toBe(iso('2025-09-07T01:00:00-03:00'));
  });
});

describe('business time across a DST change in Europe/Berlin', () => {
  test('office hours stay 08:00–18:00 local on both sides of the change', () => {
    expect(workingInterval(BERLIN, day('2025-03-28'))).toEqual({ start: at('2025-03-28T08:00:00+01:00'), end: at('2025-03-28T18:00:00+01:00') });
    expect(workingInterval(BERLIN, day('2025-03-31'))).toEqual({ start: at('2025-03-31T08:00:00+02:00'), end: at('2025-03-31T18:00:00+02:00') });
    expect(isWorkingTime(BERLIN, at('2025-03-31T06:30:00Z'))).toBe(true); // 08:30 CEST
  });

  test('four hours from Friday 16:00 before spring forward end Monday 10:00 summer time', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-03-28T16:00:00+01:00'), 4 * HOUR))).toBe(iso('2025-03-31T10:00:00+02:00'));
  });

  test('four hours from Friday 16:00 before fall back end Monday 10:00 winter time', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-10-24T16:00:00+02:00'), 4 * HOUR))).toBe(iso('2025-10-27T10:00:00+01:00'));
    expect(businessTimeBetween(BERLIN, at('2025-10-24T16:00:00+02:00'), at('2025-10-27T10:00:00+01:00'))).toBe(4 * HOUR);
  });

  test('on a 24/7 calendar a day over spring forward is 24 real hours, so the wall clock shows an hour later', () => {
    expect(iso(addBusinessTime(BERLIN_24_7, at('2025-03-29T12:00:00+01:00'), 24 * HOUR))).toBe(iso('2025-03-30T13:00:00+02:00'));
  });

  test('the spring-forward Sunday of a 24/7 calendar holds 23 hours of working time', () => {
    const sunday = workingInterval(BERLIN_24_7, day('2025-03-30'));
    expect(sunday).toEqual({ start: at('2025-03-30T00:00:00+01:00'), end: at('2025-03-31T00:00:00+02:00') });
    expect(businessTimeBetween(BERLIN_24_7, at('2025-03-30T00:00:00+01:00'), at('2025-03-31T00:00:00+02:00'))).toBe(23 * HOUR);
  });
});
