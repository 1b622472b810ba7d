import { describe, expect, it } from 'vitest';
import { HOUR_MS, LinkFlapTracker } from './flap.js';
import { codeOf } from './test-utils/errors.js';

const MIN = 60_000;
const T0 = 1_750_000_000_000;

/** Feeds polls once a minute for one interface; returns each poll's counts. */
function poll(tracker: LinkFlapTracker, polls: readonly [status: number | string, lastChange: number][], ifIndex: number | string = 1) {
  return polls.map(([operStatus, lastChange], i) => tracker.observe({ ifIndex, operStatus, lastChange, now: T0 + i * MIN }));
}

describe('LinkFlapTracker', () => {
  it('counts nothing on the first poll, which is the baseline', () => {
    expect(new LinkFlapTracker().observe({ ifIndex: 1, operStatus: 'down', lastChange: 500, now: T0 })).toEqual({
      flapsLastHour: 0,
      transitionsLastHour: 0,
      newFlaps: 0,
    });
  });

  it('counts a stable link as zero flaps', () => {
    const counts = poll(new LinkFlapTracker(), [
      ['up', 100],
      ['up', 100],
      ['up', 100],
    ]);
    expect(counts.at(-1)).toEqual({ flapsLastHour: 0, transitionsLastHour: 0, newFlaps: 0 });
  });

  it('counts a drop as a flap and the recovery as a transition only', () => {
    const counts = poll(new LinkFlapTracker(), [
      [1, 100],
      [2, 6_000], // dropped
      [1, 12_000], // back
    ]);
    expect(counts.map((c) => c.newFlaps)).toEqual([0, 1, 0]);
    expect(counts.at(-1)).toEqual({ flapsLastHour: 1, transitionsLastHour: 2, newFlaps: 0 });
  });

  it('infers a bounce between polls from ifLastChange moving while the status stayed up', () => {
    const counts = poll(new LinkFlapTracker(), [
      ['up', 100],
      ['up', 3_000], // went down and came back within the minute
    ]);
    expect(counts.at(-1)).toEqual({ flapsLastHour: 1, transitionsLastHour: 2, newFlaps: 1 });
  });

  it('infers a brief up that dropped again from ifLastChange moving while the status stayed down', () => {
    const counts = poll(new LinkFlapTracker(), [
      ['down', 100],
      ['down', 3_000],
    ]);
    expect(counts.at(-1)).toEqual({ flapsLastHour: 1, transitionsLastHour: 2, newFlaps: 1 });
  });

  it('treats ifLastChange going backwards as an agent restart, not a flap', () => {
    const counts = poll(new LinkFlapTracker(), [
      ['up', 900_000],
      ['up', 1_200], // switch rebooted: ifLastChange is relative to the new sysUpTime
      ['up', 1_200],
    ]);
    expect(counts.map((c) => c.flapsLastHour)).toEqual([0, 0, 0]);
  });

  it('still counts status changes when the agent gives no ifLastChange', () => {
    const tracker = new LinkFlapTracker();
    tracker.observe({ ifIndex: 1, operStatus: 'up', now: T0 });
    expect(tracker.observe({ ifIndex: 1, operStatus: 'lowerLayerDown', now: T0 + MIN }).flapsLastHour).toBe(1);
  });

  it('does not count a port an operator shut down', () => {
    const tracker = new LinkFlapTracker();
    tracker.observe({ ifIndex: 1, operStatus: 'up', adminStatus: 'up', lastChange: 100, now: T0 });
    expect(tracker.observe({ ifIndex: 1, operStatus: 'down', adminStatus: 'down', lastChange: 200, now: T0 + MIN }).flapsLastHour).toBe(0);
    expect(tracker.observe({ ifIndex: 1, operStatus: 'up', adminStatus: 'up', lastChange: 300, now: T0 + 2 * MIN }).flapsLastHour).toBe(0);
  });

  it('counts only flaps within the last hour', () => {
    const tracker = new LinkFlapTracker();
    tracker.observe({ ifIndex: 1, operStatus: 'up', lastChange: 0, now: T0 });
    tracker.observe({ ifIndex: 1, operStatus: 'up', lastChange: 10, now: T0 + MIN });
    tracker.observe({ ifIndex: 1, operStatus: 'up', lastChange: 20, now: T0 + 30 * MIN });
    expect(tracker.count(1, T0 + 59 * MIN).flapsLastHour).toBe(2);
    expect(tracker.count(1, T0 + 61 * MIN).flapsLastHour).toBe(1);
    expect(tracker.observe({ ifIndex: 1, operStatus: 'up', lastChange: 20, now: T0 + 91 * MIN }).flapsLastHour).toBe(0);
  });

  it('counts a flapping port every poll, up to one per poll', () => {
    const polls = Array.from({ length: 61 }, (_, i): [string, number] => [i % 2 === 0 ? 'up' : 'down', i * 6_000]);
    expect(poll(new LinkFlapTracker(), polls).at(-1)).toEqual({ flapsLastHour: 30, transitionsLastHour: 60, newFlaps: 0 });
  });

  it('keeps interfaces apart and forgets one on request', () => {
    const tracker = new LinkFlapTracker();
    poll(tracker, [['up', 0], ['down', 10]], 1);
    poll(tracker, [['up', 0], ['up', 0]], '2');
    expect(tracker.count(1, T0 + MIN).flapsLastHour).toBe(1);
    expect(tracker.count(2, T0 + MIN).flapsLastHour).toBe(0);
    tracker.forget(1);
    expect(tracker.size).toBe(1);
    expect(tracker.count(1, T0 + MIN)).toEqual({ flapsLastHour: 0, transitionsLastHour: 0 });
  });

  it('takes a shorter window for tests or tuning and refuses a window of 0', () => {
    const tracker = new LinkFlapTracker({ windowMs: 5 * MIN });
    poll(tracker, [['up', 0], ['down', 10]]);
    expect(tracker.count(1, T0 + 6 * MIN + 1).flapsLastHour).toBe(0);
    expect(codeOf(() => new LinkFlapTracker({ windowMs: 0 }))).toBe('bad-field');
    expect(HOUR_MS).toBe(60 * MIN);
  });
});
