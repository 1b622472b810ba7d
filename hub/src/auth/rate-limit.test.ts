import { describe, expect, test } from 'vitest';
import { RateLimiter } from './rate-limit.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateLimiter', () => {
  test('allows max hits per key in a window, then refuses with the seconds to wait', () => {
    const c = clock();
    const rl = new RateLimiter({ max: 3, windowS: 60, now: c.now });
    expect([rl.hit('k'), rl.hit('k'), rl.hit('k')].map((r) => r.allowed)).toEqual([true, true, true]);
    const refused = rl.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterS).toBe(60);
    c.advance(45_000);
    expect(rl.hit('k').retryAfterS).toBe(15);
  });

  test('the window slides: a slot frees when the oldest hit ages out', () => {
    const c = clock();
    const rl = new RateLimiter({ max: 2, windowS: 10, now: c.now });
    rl.hit('k');
    c.advance(6_000);
    rl.hit('k');
    expect(rl.hit('k').allowed).toBe(false);
    c.advance(4_000);
    expect(rl.hit('k').allowed).toBe(true);
    expect(rl.hit('k').allowed).toBe(false);
  });

  test('refused hits are not counted, so hammering does not extend the wait', () => {
    const c = clock();
    const rl = new RateLimiter({ max: 1, windowS: 10, now: c.now });
    rl.hit('k');
    for (let i = 0; i < 5; i++) {
      c.advance(1_000);
      rl.hit('k');
    }
    c.advance(5_000);
    expect(rl.hit('k').allowed).toBe(true);
  });

  test('keys are independent, and peek does not count', () => {
    const rl = new RateLimiter({ max: 1, windowS: 60 });
    expect(rl.peek('a').allowed).toBe(true);
    expect(rl.hit('a').allowed).toBe(true);
    expect(rl.peek('a').allowed).toBe(false);
    expect(rl.hit('b').allowed).toBe(true);
  });

  test('reset forgets a key and forgive takes back its latest hit', () => {
    const rl = new RateLimiter({ max: 2, windowS: 60 });
    rl.hit('k');
    rl.hit('k');
    rl.forgive('k');
    expect(rl.hit('k')).toEqual({ allowed: true, remaining: 0, retryAfterS: 0 });
    rl.reset('k');
    expect(rl.peek('k').remaining).toBe(2);
  });

  test('memory stays bounded: beyond maxKeys the least recently hit keys are dropped', () => {
    const rl = new RateLimiter({ max: 1, windowS: 60, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) rl.hit(`key-${i}`);
    expect(rl.size).toBeLessThanOrEqual(100);
    expect(rl.peek('key-999').allowed).toBe(false);
    expect(rl.peek('key-0').allowed).toBe(true);
  });

  test('expired keys are swept before live ones are evicted', () => {
    const c = clock();
    const rl = new RateLimiter({ max: 1, windowS: 10, maxKeys: 3, now: c.now });
    rl.hit('live');
    c.advance(5_000);
    rl.hit('old-1');
    rl.hit('old-2');
    c.advance(6_000); // 'live' has expired, the others are 6 s old
    rl.hit('new');
    expect(rl.peek('old-1').allowed).toBe(false);
    expect(rl.size).toBe(3);
  });

  test('rejects a nonsensical configuration', () => {
    expect(() => new RateLimiter({ max: 0, windowS: 60 })).toThrow(RangeError);
    expect(() => new RateLimiter({ max: 1, windowS: 0 })).toThrow(RangeError);
  });
});
