import { describe, expect, test } from 'vitest';
import { addBusinessTime, businessTimeBetween, isWorkingTime, nextWorkingTime, type BusinessCalendar } from './calendar.js';
import { BERLIN, HOUR, at, iso } from './testing.js';

describe('working time on a Monday–Friday 08:00–18:00 Berlin calendar', () => {
  test('opening is working time, closing is not, and nights, weekends and holidays are not', () => {
    expect(isWorkingTime(BERLIN, at('2025-03-04T08:00:00+01:00'))).toBe(true);
    expect(isWorkingTime(BERLIN, at('2025-03-04T07:59:59.999+01:00'))).toBe(false);
    expect(isWorkingTime(BERLIN, at('2025-03-04T17:59:59.999+01:00'))).toBe(true);
    expect(isWorkingTime(BERLIN, at('2025-03-04T18:00:00+01:00'))).toBe(false);
    expect(isWorkingTime(BERLIN, at('2025-03-08T12:00:00+01:00'))).toBe(false); // Saturday
    expect(isWorkingTime(BERLIN, at('2025-04-18T12:00:00+02:00'))).toBe(false); // Good Friday
  });

  test('working time is read in the calendar’s zone, not in UTC', () => {
    // 07:30 UTC on a Tuesday in March is 08:30 in Berlin.
    expect(isWorkingTime(BERLIN, at('2025-03-04T07:30:00Z'))).toBe(true);
    expect(isWorkingTime(BERLIN, at('2025-03-04T17:30:00Z'))).toBe(false);
  });

  test('the next working time is the instant itself during hours, else the next opening', () => {
    expect(iso(nextWorkingTime(BERLIN, at('2025-03-04T11:15:00+01:00')))).toBe(iso('2025-03-04T11:15:00+01:00'));
    expect(iso(nextWorkingTime(BERLIN, at('2025-03-04T06:00:00+01:00')))).toBe(iso('2025-03-04T08:00:00+01:00'));
    expect(iso(nextWorkingTime(BERLIN, at('2025-03-07T19:00:00+01:00')))).toBe(iso('2025-03-10T08:00:00+01:00'));
  });

  test('the next opening after Maundy Thursday evening is the Tuesday after Easter Monday', () => {
    expect(iso(nextWorkingTime(BERLIN, at('2025-04-17T18:30:00+02:00')))).toBe(iso('2025-04-22T08:00:00+02:00'));
  });
});

describe('adding business time', () => {
  test('four hours from Friday 16:00 end on Monday 10:00', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-03-07T16:00:00+01:00'), 4 * HOUR))).toBe(iso('2025-03-10T10:00:00+01:00'));
  });

  test('four hours from Maundy Thursday 16:00 skip Good Friday, the weekend and Easter Monday', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-04-17T16:00:00+02:00'), 4 * HOUR))).toBe(iso('2025-04-22T10:00:00+02:00'));
  });

  test('a deadline that falls on the closing time stays on that day', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-03-04T14:00:00+01:00'), 4 * HOUR))).toBe(iso('2025-03-04T18:00:00+01:00'));
  });

  test('time added outside working hours starts counting at the next opening', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-03-08T03:00:00+01:00'), HOUR))).toBe(iso('2025-03-10T09:00:00+01:00'));
    expect(iso(addBusinessTime(BERLIN, at('2025-03-04T22:00:00+01:00'), HOUR))).toBe(iso('2025-03-05T09:00:00+01:00'));
  });

  test('thirty business hours span three working days', () => {
    expect(iso(addBusinessTime(BERLIN, at('2025-03-05T13:00:00+01:00'), 30 * HOUR))).toBe(iso('2025-03-10T13:00:00+01:00'));
  });

  test('zero time is the start itself; a negative duration is refused', () => {
    expect(addBusinessTime(BERLIN, at('2025-03-08T03:00:00+01:00'), 0)).toBe(at('2025-03-08T03:00:00+01:00'));
    expect(() => addBusinessTime(BERLIN, 0, -1)).toThrow(RangeError);
  });

  test('a calendar without any working day gives up with a RangeError instead of looping', () => {
    const never: BusinessCalendar = { ...BERLIN, workingDays: [] };
    expect(() => addBusinessTime(never, at('2025-03-04T10:00:00+01:00'), HOUR)).toThrow(/no working time/);
  });
});

describe('business time between two instants', () => {
  test('Friday 16:00 to Monday 10:00 is four business hours, and negative the other way round', () => {
    const fri = at('2025-03-07T16:00:00+01:00');
    const mon = at('2025-03-10T10:00:00+01:00');
    expect(businessTimeBetween(BERLIN, fri, mon)).toBe(4 * HOUR);
    expect(businessTimeBetween(BERLIN, mon, fri)).toBe(-4 * HOUR);
  });

  test('a night, a weekend or a holiday holds no business time (zero, never minus zero)', () => {
    expect(businessTimeBetween(BERLIN, at('2025-03-07T18:00:00+01:00'), at('2025-03-10T08:00:00+01:00'))).toBe(0);
    expect(businessTimeBetween(BERLIN, at('2025-04-18T18:00:00+02:00'), at('2025-04-18T09:00:00+02:00'))).toBe(0);
  });

  test('it undoes adding business time', () => {
    const start = at('2025-04-16T17:00:00+02:00');
    expect(businessTimeBetween(BERLIN, start, addBusinessTime(BERLIN, start, 13.5 * HOUR))).toBe(13.5 * HOUR);
  });
});
