/**
 * Link flap detection from polls of ifOperStatus and ifLastChange. Pure and stateful: the
 * caller feeds one observation per interface per poll, with its own clock.
 *
 * Rules, per interface (only "up" versus anything else matters):
 * - The first observation is a baseline: nothing is counted.
 * - Status changed since the last poll: one transition. Leaving up is a flap (the link
 *   dropped; panels behind it freeze); coming up is a recovery.
 * - Status the same but ifLastChange moved forward: the link changed state and changed
 *   back between polls. Two transitions and one flap (down-and-up while up, or a brief
 *   up that dropped again while down).
 * - ifLastChange moved backwards: the agent restarted or timeticks wrapped (497 days);
 *   nothing is counted and the new value is the baseline.
 * - Admin status down (when given): an operator shut the port; nothing is counted.
 * Several changes between two polls count as at most the above: polls cannot see more.
 *
 * Counts cover a sliding window (default one hour) ending at the latest `now`.
 */
import { SnmpError } from './errors.js';

export const HOUR_MS = 3_600_000;

export interface LinkObservation {
  readonly ifIndex: number | string;
  /** ifOperStatus as the number (1 = up) or its name ('up'). */
  readonly operStatus: number | string;
  /** ifLastChange, in timeticks or seconds: only compared with the previous value. */
  readonly lastChange?: number;
  /** ifAdminStatus; when given and not up, changes are not counted. */
  readonly adminStatus?: number | string;
  /** Caller's clock, ms. */
  readonly now: number;
}

export interface FlapCount {
  /** Times the link left up within the window. */
  readonly flapsLastHour: number;
  /** Status changes (observed and inferred) within the window. */
  readonly transitionsLastHour: number;
  /** Flaps this observation added (0 or 1). */
  readonly newFlaps: number;
}

interface LinkState {
  up: boolean;
  lastChange: number | undefined;
  /** Times of flaps and of transitions, oldest first. */
  flaps: number[];
  transitions: number[];
}

const isUp = (status: number | string): boolean => status === 1 || status === 'up';

export class LinkFlapTracker {
  readonly #windowMs: number;
  readonly #links = new Map<string, LinkState>();

  constructor(options: { windowMs?: number } = {}) {
    this.#windowMs = options.windowMs ?? HOUR_MS;
    if (!(this.#windowMs > 0)) {
      throw new SnmpError('bad-field', `windowMs is ${this.#windowMs}, must be above 0`, 'give the window in milliseconds, e.g. 3600000 for an hour');
    }
  }

  observe(o: LinkObservation): FlapCount {
    const key = String(o.ifIndex);
    const up = isUp(o.operStatus);
    const prev = this.#links.get(key);
    if (prev === undefined) {
      this.#links.set(key, { up, lastChange: o.lastChange, flaps: [], transitions: [] });
      return { flapsLastHour: 0, transitionsLastHour: 0, newFlaps: 0 };
    }
    const counted = o.adminStatus === undefined || isUp(o.adminStatus);
    const restarted = o.lastChange !== undefined && prev.lastChange !== undefined && o.lastChange < prev.lastChange;
    const moved = o.lastChange !== undefined && prev.lastChange !== undefined && o.lastChange > prev.lastChange;
    let newFlaps = 0;
    if (counted && !restarted) {
      if (up !== prev.up) {
        prev.transitions.push(o.now);
        if (prev.up) newFlaps = 1;
      } else if (moved) {
        prev.transitions.push(o.now, o.now);
        newFlaps = 1;
      }
    }
    if (newFlaps > 0) prev.flaps.push(o.now);
    prev.up = up;
    prev.lastChange = o.lastChange;
    return { ...this.count(key, o.now), newFlaps };
  }

  /** Counts within the window ending at `now`; zeros for an interface never seen. */
  count(ifIndex: number | string, now: number): Omit<FlapCount, 'newFlaps'> {
    const state = this.#links.get(String(ifIndex));
    if (state === undefined) return { flapsLastHour: 0, transitionsLastHour: 0 };
    const since = now - this.#windowMs;
    state.flaps = state.flaps.filter((t) => t > since);
    state.transitions = state.transitions.filter((t) => t > since);
    return { flapsLastHour: state.flaps.length, transitionsLastHour: state.transitions.length };
  }

  /** Stops tracking an interface (it disappeared from the walk). */
  forget(ifIndex: number | string): void {
    this.#links.delete(String(ifIndex));
  }

  /** Interfaces being tracked. */
  get size(): number {
    return this.#links.size;
  }
}
