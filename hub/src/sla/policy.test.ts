import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, slaDeadlines, type SlaPolicy } from './policy.js';
import { BERLIN, BERLIN_24_7, HOUR, at, iso } from './testing.js';

/** Respond 4 business hours, on site 24 h, resolve 5 working days, warn at 20 % left. */
const STANDARD = DEFAULT_POLICY;

const deadlinesOf = (policy: SlaPolicy, cal = BERLIN, openedAt: string) => {
  const d = slaDeadlines(policy, cal, at(openedAt));
  return { respondBy: iso(d.respondBy), onSiteBy: iso(d.onSiteBy), resolveBy: iso(d.resolveBy) };
};

describe('SLA deadlines of the standard policy on a Berlin office calendar', () => {
  test('a fault on Friday 16:00 is answered Monday 10:00, visited Saturday 16:00, resolved next Friday', () => {
    expect(deadlinesOf(STANDARD, BERLIN, '2025-03-07T16:00:00+01:00')).toEqual({
      respondBy: iso('2025-03-10T10:00:00+01:00'),
      onSiteBy: iso('2025-03-08T16:00:00+01:00'),
      resolveBy: iso('2025-03-14T18:00:00+01:00'),
    });
  });

  test('a fault on Maundy Thursday 15:00 skips Good Friday, the weekend and Easter Monday', () => {
    expect(deadlinesOf(STANDARD, BERLIN, '2025-04-17T15:00:00+02:00')).toEqual({
      respondBy: iso('2025-04-22T09:00:00+02:00'),
      onSiteBy: iso('2025-04-18T15:00:00+02:00'),
      resolveBy: iso('2025-04-28T18:00:00+02:00'),
    });
  });

  test('a fault at 22:00 starts its business clocks at the next opening', () => {
    const d = slaDeadlines(STANDARD, BERLIN, at('2025-03-04T22:00:00+01:00'));
    expect(iso(d.clocks.respond.startsAt)).toBe(iso('2025-03-05T08:00:00+01:00'));
    expect(iso(d.respondBy)).toBe(iso('2025-03-05T12:00:00+01:00'));
    expect(iso(d.clocks.onSite.startsAt)).toBe(iso('2025-03-04T22:00:00+01:00'));
    expect(iso(d.resolveBy)).toBe(iso('2025-03-11T18:00:00+01:00'));
  });

  test('the on-site clock runs in real hours across the spring-forward night', () => {
    expect(deadlinesOf(STANDARD, BERLIN, '2025-03-29T12:00:00+01:00').onSiteBy).toBe(iso('2025-03-30T13:00:00+02:00'));
  });

  test('on a 24/7 calendar a Saturday-night fault is answered four hours later', () => {
    expect(deadlinesOf(STANDARD, BERLIN_24_7, '2025-03-08T22:00:00+01:00').respondBy).toBe(iso('2025-03-09T02:00:00+01:00'));
  });

  test('a respond clock in calendar hours ignores the office hours', () => {
    const urgent: SlaPolicy = { ...STANDARD, respondWithin: { hours: 2, calendar: 'calendar' } };
    expect(deadlinesOf(urgent, BERLIN, '2025-03-08T03:00:00+01:00').respondBy).toBe(iso('2025-03-08T05:00:00+01:00'));
  });
});

describe('warning thresholds', () => {
  test('the respond warning comes when 20 % of four business hours is left', () => {
    const d = slaDeadlines(STANDARD, BERLIN, at('2025-03-04T22:00:00+01:00'));
    expect(d.clocks.respond.allowanceMs).toBe(4 * HOUR);
    expect(iso(d.clocks.respond.warnAt ?? 0)).toBe(iso('2025-03-05T11:12:00+01:00'));
  });

  test('the on-site warning comes 4.8 real hours before the deadline', () => {
    const d = slaDeadlines(STANDARD, BERLIN, at('2025-03-07T16:00:00+01:00'));
    expect(iso(d.clocks.onSite.warnAt ?? 0)).toBe(iso('2025-03-08T11:12:00+01:00'));
  });

  test('the resolve warning comes when 20 % of the business time to the deadline is left', () => {
    // Mon 10:00 → next Mon 18:00 holds 58 business hours; 80 % of them (46.4 h) end Friday 16:24.
    const d = slaDeadlines(STANDARD, BERLIN, at('2025-03-03T10:00:00+01:00'));
    expect(d.clocks.resolve.allowanceMs).toBe(58 * HOUR);
    expect(iso(d.clocks.resolve.warnAt ?? 0)).toBe(iso('2025-03-07T16:24:00+01:00'));
  });

  test('a policy with 0 % never warns', () => {
    const d = slaDeadlines({ ...STANDARD, warnBeforePct: 0 }, BERLIN, at('2025-03-03T10:00:00+01:00'));
    expect([d.clocks.respond.warnAt, d.clocks.onSite.warnAt, d.clocks.resolve.warnAt]).toEqual([null, null, null]);
  });
});
