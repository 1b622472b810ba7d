/**
 * "Controller held by another client": a NovaStar controller serves one control client at
 * a time, and while NovaLCT (or its background service) holds it, any other client sees
 * its TCP connection reset every 9–35 s. One reset is a glitch; `threshold` resets within
 * `windowMs` mean the controller is held. Held is sticky: it ends only when a request is
 * answered again, so the state does not flap while reconnects are backed off. Pure: time
 * is an argument.
 */
export interface HeldTrackerOptions {
  /** Resets that make the controller held (default 3). */
  readonly threshold?: number;
  /** …within this many ms (default 2 minutes). */
  readonly windowMs?: number;
}

export const DEFAULT_HELD_THRESHOLD = 3;
export const DEFAULT_HELD_WINDOW_MS = 120_000;
export const HELD_MESSAGE = 'controller held by another client (e.g. NovaLCT)';

export class HeldTracker {
  readonly #threshold: number;
  readonly #windowMs: number;
  #resets: number[] = [];
  #held = false;
  #total = 0;

  constructor(options: HeldTrackerOptions = {}) {
    this.#threshold = options.threshold ?? DEFAULT_HELD_THRESHOLD;
    this.#windowMs = options.windowMs ?? DEFAULT_HELD_WINDOW_MS;
  }

  /** The controller closed or reset the connection at `now`. */
  reset(now: number): void {
    this.#total++;
    this.#resets = [...this.#resets.filter((t) => now - t < this.#windowMs), now];
    if (this.#resets.length >= this.#threshold) this.#held = true;
  }

  /** A request was answered: the controller is ours again. */
  answered(): void {
    this.#resets = [];
    this.#held = false;
  }

  get held(): boolean {
    return this.#held;
  }

  /** Resets seen since the driver started. */
  get totalResets(): number {
    return this.#total;
  }

  /** Resets inside the window ending at `now`. */
  recent(now: number): number {
    return this.#resets.filter((t) => now - t < this.#windowMs).length;
  }
}
