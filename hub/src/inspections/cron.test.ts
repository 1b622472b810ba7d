import { describe, expect, it } from 'vitest';
import { DEFAULT_CRON, isDue, nextDue, parseCron, previousDue } from './cron.js';

describe('inspection schedules', () => {
  const spec = parseCron(DEFAULT_CRON);

  it('reads the default as the first Monday of the month at 09:00 site time', () => {
    // December 2025: the 1st is a Monday. In Seoul (UTC+9) 09:00 is 00:00 UTC.
    expect(nextDue(spec, 'Asia/Seoul', Date.UTC(2025, 10, 20))).toBe(Date.UTC(2025, 11, 1, 0, 0));
    // January 2026: first Monday is the 5th; Monday the 12th is not due.
    expect(nextDue(spec, 'Asia/Seoul', Date.UTC(2025, 11, 2))).toBe(Date.UTC(2026, 0, 5, 0, 0));
    expect(isDue(spec, 'Asia/Seoul', Date.UTC(2026, 0, 12, 0, 0))).toBe(false);
    expect(isDue(spec, 'Asia/Seoul', Date.UTC(2026, 0, 5, 0, 0, 30))).toBe(true);
  });

  it('finds the run missed while the hub was down', () => {
    expect(previousDue(spec, 'Europe/Berlin', Date.UTC(2026, 0, 20))).toBe(Date.UTC(2026, 0, 5, 8, 0));
    expect(previousDue(spec, 'UTC', Date.UTC(2026, 0, 5, 9, 0))).toBe(Date.UTC(2026, 0, 5, 9, 0));
  });

  it('refuses an expression that is not 5-field cron', () => {
    expect(() => parseCron('every monday')).toThrow(RangeError);
    expect(() => parseCron('0 25 * * *')).toThrow(RangeError);
  });
});
