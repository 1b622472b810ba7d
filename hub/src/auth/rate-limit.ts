/**
 * A sliding-window rate limiter keyed by any string (an email, an address, an MQTT client
 * id): at most `max` hits per key in any `windowS` seconds. Memory is bounded twice: a key
 * keeps at most `max` timestamps, and at most `maxKeys` keys are tracked (expired keys are
 * swept first, then the least recently hit ones are dropped).
 *
 * Typical use — count every attempt up front (so parallel attempts cannot slip past), then
 * `reset` or `forgive` on success:
 *
 *   const r = limiter.hit(key); if (!r.allowed) → 429 with Retry-After: r.retryAfterS
 */

export interface RateLimiterOptions {
  /** Hits allowed per key within the window. */
  max: number;
  windowS: number;
  /** Keys tracked at most (default 10 000). */
  maxKeys?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Hits left in the current window after this one. */
  remaining: number;
  /** Seconds until the next hit would be allowed (0 when allowed). */
  retryAfterS: number;
}

export class RateLimiter {
  readonly max: number;
  readonly windowMs: number;
  readonly maxKeys: number;
  readonly #now: () => number;
  /** key → hit times (ms), oldest first. Map order = least recently hit first. */
  readonly #hits = new Map<string, number[]>();

  constructor(opts: RateLimiterOptions) {
    if (!Number.isInteger(opts.max) || opts.max < 1) throw new RangeError(`RateLimiter max must be an integer >= 1, got ${opts.max}`);
    if (!(opts.windowS > 0)) throw new RangeError(`RateLimiter windowS must be > 0, got ${opts.windowS}`);
    this.max = opts.max;
    this.windowMs = opts.windowS * 1000;
    this.maxKeys = Math.max(1, opts.maxKeys ?? 10_000);
    this.#now = opts.now ?? Date.now;
  }

  /** Counts one hit for `key` (unless already over the limit) and says whether it is allowed. */
  hit(key: string): RateLimitResult {
    const now = this.#now();
    const times = this.#live(key, now);
    if (times.length >= this.max) return this.#blocked(times, now);
    times.push(now);
    this.#hits.delete(key); // re-insert: most recently hit goes last
    this.#makeRoom(now);
    this.#hits.set(key, times);
    return { allowed: true, remaining: this.max - times.length, retryAfterS: 0 };
  }

  /** Whether a hit would be allowed now, without counting one. */
  peek(key: string): RateLimitResult {
    const now = this.#now();
    const times = this.#live(key, now);
    if (times.length >= this.max) return this.#blocked(times, now);
    return { allowed: true, remaining: this.max - times.length, retryAfterS: 0 };
  }

  /** Takes back the most recent hit of `key` (an attempt that turned out fine). */
  forgive(key: string): void {
    const times = this.#hits.get(key);
    if (times === undefined) return;
    times.pop();
    if (times.length === 0) this.#hits.delete(key);
  }

  /** Forgets every hit of `key`. */
  reset(key: string): void {
    this.#hits.delete(key);
  }

  /** Keys currently tracked. */
  get size(): number {
    return this.#hits.size;
  }

  #live(key: string, now: number): number[] {
    const times = this.#hits.get(key);
    if (times === undefined) return [];
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < times.length && (times[drop] ?? Infinity) <= cutoff) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length === 0) this.#hits.delete(key);
    return times;
  }

  #blocked(times: number[], now: number): RateLimitResult {
    // The window frees a slot when the oldest of the last `max` hits ages out.
    const oldest = times[times.length - this.max] ?? now;
    const waitMs = oldest + this.windowMs - now;
    return { allowed: false, remaining: 0, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  #makeRoom(now: number): void {
    if (this.#hits.size < this.maxKeys) return;
    const cutoff = now - this.windowMs;
    for (const [k, times] of this.#hits) {
      if ((times[times.length - 1] ?? -Infinity) <= cutoff) this.#hits.delete(k);
    }
    for (const k of this.#hits.keys()) {
      if (this.#hits.size < this.maxKeys) break;
      this.#hits.delete(k);
    }
  }
}
