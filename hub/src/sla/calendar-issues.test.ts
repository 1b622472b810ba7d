import { describe, expect, test } from 'vitest';
import { calendarIssues, DEFAULT_CALENDAR, type BusinessCalendar } from './calendar.js';
import { BERLIN } from './testing.js';

describe('checking a calendar definition', () => {
  test('the built-in default and the Berlin office calendar have no issues', () => {
    expect(calendarIssues(DEFAULT_CALENDAR)).toEqual([]);
    expect(calendarIssues(BERLIN)).toEqual([]);
  });

  test('every problem is reported at once, each naming its field', () => {
    const bad: BusinessCalendar = {
      timeZone: 'Mars/Olympus_Mons',
      workingDays: [1, 2, 2, 9],
      hours: { start: '18:00', end: '08:00' },
      weekdayHours: { 6: { start: '09:00', end: '25:00' } },
      holidays: ['2025-12-25', '2025-02-30', '25.12.2025'],
    };
    expect(calendarIssues(bad).map((i) => i.field)).toEqual([
      'timeZone',
      'workingDays.2',
      'workingDays.3',
      'hours.end',
      'weekdayHours.6',
      'weekdayHours.6.end',
      'holidays.1',
      'holidays.2',
    ]);
  });

  test('closing before opening is explained with the opening time', () => {
    const issues = calendarIssues({ ...BERLIN, hours: { start: '18:00', end: '08:00' } });
    expect(issues).toEqual([{ field: 'hours.end', message: 'must be after hours.start (18:00); shifts over midnight are not supported' }]);
  });

  test('a calendar with no working days is only valid when it runs 24/7', () => {
    expect(calendarIssues({ ...BERLIN, workingDays: [] }).map((i) => i.field)).toEqual(['workingDays']);
    expect(calendarIssues({ ...BERLIN, workingDays: [], twentyFourSeven: true })).toEqual([]);
  });

  test('24:00 is a valid closing time but not an opening time', () => {
    expect(calendarIssues({ ...BERLIN, hours: { start: '16:00', end: '24:00' } })).toEqual([]);
    expect(calendarIssues({ ...BERLIN, hours: { start: '24:00', end: '24:00' } }).map((i) => i.field)).toEqual(['hours.start']);
  });
});
