import { describe, expect, it } from 'vitest';
import { HeldTracker } from './held.js';

describe('held-by-another-client tracker', () => {
  it('calls the controller held after three resets within two minutes', () => {
    const tracker = new HeldTracker();
    tracker.reset(0);
    tracker.reset(20_000);
    expect(tracker.held).toBe(false);
    tracker.reset(40_000);
    expect(tracker.held).toBe(true);
  });

  it('does not count resets that fell out of the window', () => {
    const tracker = new HeldTracker({ threshold: 3, windowMs: 60_000 });
    tracker.reset(0);
    tracker.reset(50_000);
    tracker.reset(100_000); // the first one is 100 s old by now
    expect(tracker.held).toBe(false);
    expect(tracker.recent(100_000)).toBe(2);
  });

  it('stays held without new resets until a request is answered', () => {
    const tracker = new HeldTracker({ threshold: 1 });
    tracker.reset(0);
    expect(tracker.recent(10 * 60_000)).toBe(0);
    expect(tracker.held).toBe(true);
    tracker.answered();
    expect(tracker.held).toBe(false);
    expect(tracker.totalResets).toBe(1);
  });
});
