import { describe, expect, test } from 'vitest';
import { endOfNthWorkingDay, type BusinessCalendar } from './calendar.js';
import { BERLIN, BERLIN_24_7, at, iso } from './testing.js';

describe('the end of the Nth full working day', () => {
  test('a fault on Monday 10:00 has five full working days: due next Monday at closing', () => {
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-03-03T10:00:00+01:00'), 5))).toBe(iso('2025-03-10T18:00:00+01:00'));
  });

  test('a fault on Saturday counts Monday as day one: due Friday at closing', () => {
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-03-08T11:00:00+01:00'), 5))).toBe(iso('2025-03-14T18:00:00+01:00'));
  });

  test('a fault before opening, or exactly at opening, counts that day in full', () => {
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-03-04T06:00:00+01:00'), 1))).toBe(iso('2025-03-04T18:00:00+01:00'));
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-03-04T08:00:00+01:00'), 1))).toBe(iso('2025-03-04T18:00:00+01:00'));
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-03-04T08:00:01+01:00'), 1))).toBe(iso('2025-03-05T18:00:00+01:00'));
  });

  test('Good Friday, the Easter weekend and Easter Monday are not counted', () => {
    // Thu 17 Apr 10:00 → day 1 = Tue 22 Apr, day 2 = Wed 23 Apr.
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-04-17T10:00:00+02:00'), 2))).toBe(iso('2025-04-23T18:00:00+02:00'));
  });

  test('Christmas Day and Boxing Day are not counted', () => {
    // Wed 24 Dec 12:00 → Mon 29, Tue 30, Wed 31 Dec.
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-12-24T12:00:00+01:00'), 3))).toBe(iso('2025-12-31T18:00:00+01:00'));
  });

  test('closing time is local across a DST change', () => {
    expect(iso(endOfNthWorkingDay(BERLIN, at('2025-03-28T09:00:00+01:00'), 1))).toBe(iso('2025-03-31T18:00:00+02:00'));
  });

  test('on a 24/7 calendar every date is a working day ending at local midnight', () => {
    expect(iso(endOfNthWorkingDay(BERLIN_24_7, at('2025-04-18T10:00:00+02:00'), 2))).toBe(iso('2025-04-21T00:00:00+02:00'));
  });

  test('per-weekday hours decide when a short Saturday closes', () => {
    const withSaturday: BusinessCalendar = { ...BERLIN, workingDays: [1, 2, 3, 4, 5, 6], weekdayHours: { 6: { start: '09:00', end: '13:00' } } };
    expect(iso(endOfNthWorkingDay(withSaturday, at('2025-03-07T10:00:00+01:00'), 1))).toBe(iso('2025-03-08T13:00:00+01:00'));
  });

  test('zero or fractional working days are refused', () => {
    expect(() => endOfNthWorkingDay(BERLIN, 0, 0)).toThrow(RangeError);
    expect(() => endOfNthWorkingDay(BERLIN, 0, 1.5)).toThrow(RangeError);
  });
});
