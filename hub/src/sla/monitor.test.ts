import { beforeEach, describe, expect, test } from 'vitest';
import { FakeTime } from './fake-time.js';
import { SlaMonitor, type SlaEvent, type SlaItem } from './monitor.js';
import { DEFAULT_POLICY } from './policy.js';
import { BERLIN, at } from './testing.js';

/**
 * Opened Tuesday 22:00 on the Berlin office calendar under the standard policy:
 * respond warning Wed 11:12, respond deadline Wed 12:00; on-site warning Wed 17:12, deadline Wed 22:00.
 */
const ticket = (over: Partial<SlaItem> = {}): SlaItem => ({
  id: 't-1',
  policy: DEFAULT_POLICY,
  calendar: BERLIN,
  openedAt: at('2025-03-04T22:00:00+01:00'),
  milestones: {},
  ...over,
});

describe('the SLA monitor', () => {
  let time: FakeTime;
  let events: SlaEvent[];
  let errors: unknown[];
  let monitor: SlaMonitor;
  const start = (now: string) => {
    time = new FakeTime(at(now));
    monitor = new SlaMonitor({ now: () => time.now, timers: time, onEvent: (e) => void events.push(e), onError: (err) => void errors.push(err) });
  };
  const seen = () => events.map((e) => `${e.key} @ ${new Date(e.emittedAt).toISOString()}`);
  beforeEach(() => {
    events = [];
    errors = [];
    start('2025-03-04T22:00:00+01:00');
  });

  test('warns when the warning threshold is reached and reports the breach just after the deadline', () => {
    monitor.track(ticket());
    time.advanceTo(at('2025-03-05T11:11:59+01:00'));
    expect(events).toEqual([]);
    time.advanceTo(at('2025-03-05T12:30:00+01:00'));
    expect(seen()).toEqual(['respond:sla-warning @ 2025-03-05T10:12:00.000Z', 'respond:sla-breach @ 2025-03-05T11:00:00.001Z']);
    expect(events[1]).toMatchObject({ type: 'sla-breach', itemId: 't-1', clock: 'respond', deadline: at('2025-03-05T12:00:00+01:00') });
  });

  test('keeps a single timer, set for the earliest pending transition', () => {
    monitor.track(ticket());
    monitor.track(ticket({ id: 't-2', openedAt: at('2025-03-04T23:00:00+01:00') }));
    expect(time.scheduled()).toEqual([at('2025-03-05T11:12:00+01:00')]);
    expect(monitor.nextCheckAt()).toBe(at('2025-03-05T11:12:00+01:00'));
  });

  test('emits each event once, however often it checks', () => {
    monitor.track(ticket());
    time.advanceTo(at('2025-03-05T11:30:00+01:00'));
    monitor.check();
    monitor.check();
    expect(seen()).toEqual(['respond:sla-warning @ 2025-03-05T10:12:00.000Z']);
  });

  test('a clock stopped by its milestone emits nothing more', () => {
    monitor.track(ticket());
    time.advanceTo(at('2025-03-05T11:30:00+01:00'));
    monitor.track(ticket({ milestones: { respondedAt: at('2025-03-05T11:30:00+01:00'), resolvedAt: at('2025-03-05T11:30:00+01:00') } }));
    time.advanceTo(at('2025-03-20T00:00:00+01:00'));
    expect(seen()).toEqual(['respond:sla-warning @ 2025-03-05T10:12:00.000Z']);
    expect(monitor.nextCheckAt()).toBeNull();
  });

  test('after a restart it skips what the caller says was already emitted', () => {
    start('2025-03-05T11:30:00+01:00');
    monitor.track(ticket({ emitted: ['respond:sla-warning'] }));
    time.advanceTo(at('2025-03-05T12:30:00+01:00'));
    expect(seen()).toEqual(['respond:sla-breach @ 2025-03-05T11:00:00.001Z']);
    expect(monitor.emitted('t-1')).toEqual(['respond:sla-warning', 'respond:sla-breach']);
  });

  test('after downtime past the deadline it reports the breach at once and no late warning', () => {
    start('2025-03-05T13:00:00+01:00');
    monitor.track(ticket());
    expect(time.scheduled()).toEqual([at('2025-03-05T13:00:00+01:00')]);
    time.advanceTo(at('2025-03-05T13:00:00+01:00'));
    expect(events).toMatchObject([{ key: 'respond:sla-breach', dueAt: at('2025-03-05T12:00:00+01:00'), emittedAt: at('2025-03-05T13:00:00+01:00') }]);
  });

  test('events of several items come out in the order they fell due', () => {
    // At 12:45: 'early' (opened 08:30) was due at 12:30 → breach; 'late' (opened 09:00) warned at 12:12.
    start('2025-03-05T12:45:00+01:00');
    monitor.track(ticket({ id: 'early', openedAt: at('2025-03-05T08:30:00+01:00') }));
    monitor.track(ticket({ id: 'late', openedAt: at('2025-03-05T09:00:00+01:00') }));
    monitor.check();
    expect(events.map((e) => `${e.itemId} ${e.key} due ${new Date(e.dueAt).toISOString()}`)).toEqual([
      'late respond:sla-warning due 2025-03-05T11:12:00.000Z',
      'early respond:sla-breach due 2025-03-05T11:30:00.000Z',
    ]);
  });

  test('untracking the last item clears the timer', () => {
    monitor.track(ticket());
    monitor.untrack('t-1');
    expect(time.scheduled()).toEqual([]);
    expect(monitor.nextCheckAt()).toBeNull();
  });

  test('a failing callback is reported to onError, sync or async, and not retried', async () => {
    monitor = new SlaMonitor({
      now: () => time.now,
      timers: time,
      onEvent: (e) => (e.type === 'sla-warning' ? Promise.reject(new Error('mail down')) : Promise.resolve()),
      onError: (err) => void errors.push(err),
    });
    monitor.track(ticket());
    time.advanceTo(at('2025-03-05T11:30:00+01:00'));
    await Promise.resolve();
    expect(errors).toEqual([new Error('mail down')]);
    expect(monitor.check()).toEqual([]);
  });

  test('a wait longer than setTimeout allows is split without emitting early', () => {
    monitor.track(ticket({ policy: { ...DEFAULT_POLICY, respondWithin: { hours: 2000, calendar: 'calendar' }, onSiteWithin: { hours: 2000, calendar: 'calendar' }, resolveWithin: { workingDays: 250 } } }));
    const [first] = time.scheduled();
    expect((first ?? 0) - time.now).toBe(2_147_483_647);
    time.advanceTo(first ?? 0);
    expect(events).toEqual([]);
    expect(time.scheduled()).toHaveLength(1);
  });
});
