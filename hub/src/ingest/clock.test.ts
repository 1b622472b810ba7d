import { describe, expect, it } from 'vitest';
import { ClockSkewTracker } from './clock.js';

describe('site clock skew', () => {
  it('sees no skew when the site clock is right, whatever the network delay', () => {
    const t = new ClockSkewTracker(10_000);
    for (const delay of [40, 900, 120, 3000]) {
      const obs = t.observe('a', 1_000_000, 1_000_000 + delay);
      expect(obs.correct).toBe(false);
      expect(obs.change).toBeUndefined();
    }
  });

  it('raises once when the site clock runs an hour behind, and corrects by the estimate', () => {
    const t = new ClockSkewTracker(10_000);
    const first = t.observe('a', 1_000_000, 1_000_000 + 3_600_000 + 200);
    expect(first).toEqual({ offsetMs: 3_600_200, correct: true, change: 'raised' });
    const second = t.observe('a', 2_000_000, 2_000_000 + 3_600_000 + 50);
    expect(second).toEqual({ offsetMs: 3_600_050, correct: true });
  });

  it('raises for a clock that jumped backwards mid-stream, then clears when it is fixed', () => {
    const t = new ClockSkewTracker(10_000);
    expect(t.observe('a', 1_000, 1_100).correct).toBe(false);
    // The site clock jumps back a day: batches now claim yesterday.
    const jump = t.observe('a', 1_000 + 5_000 - 86_400_000, 6_100);
    expect(jump.change).toBe('raised');
    expect(jump.offsetMs).toBe(86_400_100);
    // NTP fixes it.
    const fixed = t.observe('a', 20_000, 20_080);
    expect(fixed).toEqual({ offsetMs: 80, correct: false, change: 'cleared' });
  });

  it('keeps agents apart', () => {
    const t = new ClockSkewTracker(10_000);
    t.observe('a', 0, 60_000);
    expect(t.observe('b', 0, 100).correct).toBe(false);
  });
});
