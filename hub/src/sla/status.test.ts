import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, slaDeadlines, slaStatus, type SlaMilestones } from './policy.js';
import { BERLIN, HOUR, at } from './testing.js';

const MINUTE = 60_000;
/** Opened Tuesday 22:00: respond by Wednesday 12:00 (warning from 11:12), on site by Wednesday 22:00. */
const deadlines = slaDeadlines(DEFAULT_POLICY, BERLIN, at('2025-03-04T22:00:00+01:00'));
const statusAt = (now: string, milestones: SlaMilestones = {}) => slaStatus(deadlines, milestones, at(now));

describe('the state of an SLA clock', () => {
  test('before the warning threshold the clock is running with its business time left', () => {
    expect(statusAt('2025-03-05T11:00:00+01:00').respond).toMatchObject({ state: 'running', remainingMs: HOUR });
  });

  test('overnight, before the clock starts, all four business hours are left', () => {
    expect(statusAt('2025-03-05T03:00:00+01:00').respond).toMatchObject({ state: 'running', remainingMs: 4 * HOUR });
  });

  test('from the warning threshold to the deadline itself it is a warning', () => {
    expect(statusAt('2025-03-05T11:12:00+01:00').respond).toMatchObject({ state: 'warning', remainingMs: 48 * MINUTE });
    expect(statusAt('2025-03-05T12:00:00+01:00').respond).toMatchObject({ state: 'warning', remainingMs: 0 });
  });

  test('after the deadline it is breached and the overdue business time is negative', () => {
    expect(statusAt('2025-03-05T12:00:00.001+01:00').respond.state).toBe('breached');
    expect(statusAt('2025-03-05T13:30:00+01:00').respond).toMatchObject({ state: 'breached', remainingMs: -1.5 * HOUR });
  });

  test('overdue business time does not grow overnight', () => {
    expect(statusAt('2025-03-05T23:00:00+01:00').respond.remainingMs).toBe(-6 * HOUR);
    expect(statusAt('2025-03-06T07:00:00+01:00').respond.remainingMs).toBe(-6 * HOUR);
  });

  test('a response at the deadline is met; half an hour later it is met late', () => {
    expect(statusAt('2025-03-06T09:00:00+01:00', { respondedAt: at('2025-03-05T12:00:00+01:00') }).respond).toMatchObject({ state: 'met', remainingMs: 0 });
    expect(statusAt('2025-03-06T09:00:00+01:00', { respondedAt: at('2025-03-05T12:30:00+01:00') }).respond).toMatchObject({
      state: 'met-late',
      remainingMs: -30 * MINUTE,
      metAt: at('2025-03-05T12:30:00+01:00'),
    });
  });

  test('arriving on site also counts as the response', () => {
    const s = statusAt('2025-03-05T12:00:00+01:00', { onSiteAt: at('2025-03-05T09:00:00+01:00') });
    expect([s.respond.state, s.onSite.state, s.resolve.state]).toEqual(['met', 'met', 'running']);
  });

  test('a fault resolved remotely stops every clock, including the visit it no longer needs', () => {
    const s = statusAt('2025-03-06T09:00:00+01:00', { respondedAt: at('2025-03-05T08:30:00+01:00'), resolvedAt: at('2025-03-05T10:00:00+01:00') });
    expect([s.respond.state, s.onSite.state, s.resolve.state]).toEqual(['met', 'met', 'met']);
    expect(s.onSite.metAt).toBe(at('2025-03-05T10:00:00+01:00'));
  });

  test('a milestone later than now is not known yet', () => {
    expect(statusAt('2025-03-05T11:00:00+01:00', { respondedAt: at('2025-03-05T11:30:00+01:00') }).respond.state).toBe('running');
  });

  test('the on-site clock counts real time: breached at Wednesday 22:00 plus a millisecond', () => {
    expect(statusAt('2025-03-05T21:00:00+01:00').onSite).toMatchObject({ state: 'warning', remainingMs: HOUR });
    expect(statusAt('2025-03-05T22:00:00.001+01:00').onSite).toMatchObject({ state: 'breached', remainingMs: -1 });
  });
});
