/**
 * Reconnect delays: exponential backoff with full jitter. The n-th consecutive delay
 * (n from 0) is drawn uniformly from [minMs, min(maxMs, minMs·2^(n+1))], so agents that
 * lost the hub together do not come back in lock-step.
 */
export class Backoff {
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(minMs: number, maxMs: number, random: () => number = Math.random) {
    this.#minMs = minMs;
    this.#maxMs = Math.max(minMs, maxMs);
    this.#random = random;
  }

  /** The next delay in ms; each call widens the window until it reaches maxMs. */
  next(): number {
    const ceiling = Math.min(this.#maxMs, this.#minMs * 2 ** (this.#attempt + 1));
    if (ceiling < this.#maxMs) this.#attempt++;
    return Math.round(this.#minMs + this.#random() * (ceiling - this.#minMs));
  }

  /** Back to the shortest window, after a connection that held. */
  reset(): void {
    this.#attempt = 0;
  }

  get attempt(): number {
    return this.#attempt;
  }
}
