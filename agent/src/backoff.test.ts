import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles the upper bound of the window until the maximum', () => {
    const top = new Backoff(500, 30_000, () => 1);
    expect(Array.from({ length: 8 }, () => top.next())).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('never waits less than the minimum', () => {
    const bottom = new Backoff(500, 30_000, () => 0);
    expect(Array.from({ length: 5 }, () => bottom.next())).toEqual([500, 500, 500, 500, 500]);
  });

  it('spreads delays with full jitter across the window', () => {
    const fifthDelay = (): number => {
      const b = new Backoff(100, 10_000);
      for (let i = 0; i < 4; i++) b.next();
      return b.next(); // window [100, 3200]
    };
    const seen = Array.from({ length: 200 }, fifthDelay);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...seen)).toBeLessThanOrEqual(3200);
    expect(new Set(seen).size).toBeGreaterThan(50);
  });

  it('starts over from the shortest window after a reset', () => {
    const b = new Backoff(500, 30_000, () => 1);
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(1000);
  });
});
