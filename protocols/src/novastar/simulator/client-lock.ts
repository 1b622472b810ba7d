/**
 * The pure half of "a controller serves one control client at a time": the first client
 * to claim the slot holds it while it keeps talking; any other client is refused (the
 * transport then resets that connection, as the real device does) until the holder
 * releases it (disconnects) or stays silent for `idleReleaseMs`. Time is an argument, so
 * tests need no clock.
 */
import { NovaStarError } from '../errors.js';

export interface ClientLockOptions {
  /** Silence after which the holder loses the slot, ms (default 30 s). Infinity: never. */
  readonly idleReleaseMs?: number;
}

export type ClaimResult =
  | { readonly granted: true; readonly holder: string }
  | {
      readonly granted: false;
      /** The client that holds the slot. */
      readonly holder: string;
      /** When the slot frees itself if the holder stays silent (ms; Infinity: never). */
      readonly freeAt: number;
    };

export const DEFAULT_IDLE_RELEASE_MS = 30_000;

export class ClientLock {
  readonly #idleReleaseMs: number;
  #holder: string | undefined;
  #lastActive = 0;

  constructor(options: ClientLockOptions = {}) {
    const idle = options.idleReleaseMs ?? DEFAULT_IDLE_RELEASE_MS;
    if (!(idle > 0)) {
      throw new NovaStarError('bad-field', `idleReleaseMs is ${idle}`, 'give a positive number of milliseconds, or Infinity to never release');
    }
    this.#idleReleaseMs = idle;
  }

  /** Call on every request (or connection) of `clientId`; granted means serve it. */
  claim(clientId: string, now: number): ClaimResult {
    const holder = this.holder(now);
    if (holder !== undefined && holder !== clientId) {
      return { granted: false, holder, freeAt: this.#lastActive + this.#idleReleaseMs };
    }
    this.#holder = clientId;
    this.#lastActive = Math.max(this.#lastActive, now);
    return { granted: true, holder: clientId };
  }

  /** The holder gives up the slot (its connection closed); false when it did not hold it. */
  release(clientId: string): boolean {
    if (this.#holder !== clientId) return false;
    this.#holder = undefined;
    return true;
  }

  /** Who holds the slot at `now`, undefined when it is free (never taken, released or idle). */
  holder(now: number): string | undefined {
    if (this.#holder !== undefined && now - this.#lastActive >= this.#idleReleaseMs) this.#holder = undefined;
    return this.#holder;
  }
}
