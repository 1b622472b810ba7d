/**
 * Watches open items (tickets, later) and calls back once when one of their SLA clocks reaches
 * its warning threshold (`sla-warning`) and once when it is breached (`sla-breach`). One timer,
 * set for the earliest pending transition; clock and timer are injected so tests drive time.
 *
 * Once-only across restarts: the caller persists each event's `key` and passes the keys back
 * as `emitted` when it tracks the item again. In-process, an event is marked emitted before its
 * callback runs (at most once, even if the callback fails). A clock that is already breached
 * when first seen gets only its breach event, not a late warning. A stopped clock (see
 * `SlaMilestones`) emits nothing more.
 */
import type { BusinessCalendar } from './calendar.js';
import { SLA_CLOCKS, slaDeadlines, slaStatus, stopTimes, type SlaClock, type SlaDeadlines, type SlaMilestones, type SlaPolicy } from './policy.js';

export type SlaEventType = 'sla-warning' | 'sla-breach';
/** Persist these to make events once-only across restarts, e.g. `respond:sla-breach`. */
export type SlaEventKey = `${SlaClock}:${SlaEventType}`;

export interface SlaItem {
  id: string;
  policy: SlaPolicy;
  calendar: BusinessCalendar;
  openedAt: number;
  milestones: SlaMilestones;
  /** Events already emitted for this item (before a restart, say). */
  emitted?: readonly SlaEventKey[];
}

export interface SlaEvent {
  type: SlaEventType;
  key: SlaEventKey;
  itemId: string;
  clock: SlaClock;
  deadline: number;
  /** When the transition happened: the warning threshold, or the deadline for a breach. */
  dueAt: number;
  /** The monitor's clock when the event was emitted (later than dueAt after downtime). */
  emittedAt: number;
}

export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SlaMonitorOptions {
  now(): number;
  onEvent(event: SlaEvent): void | Promise<void>;
  /** A callback threw or rejected. */
  onError(err: unknown, event: SlaEvent): void;
  /** Default: Node's timers, unref'd so the monitor never keeps a process alive. */
  timers?: TimerApi;
}

/** setTimeout's limit; longer waits are split. */
const MAX_DELAY_MS = 2_147_483_647;

const nodeTimers: TimerApi = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Tracked {
  item: SlaItem;
  deadlines: SlaDeadlines;
  emitted: Set<SlaEventKey>;
}

export class SlaMonitor {
  private readonly items = new Map<string, Tracked>();
  private readonly timers: TimerApi;
  private timer: { handle: unknown; at: number } | undefined;
  private stopped = false;

  constructor(private readonly opts: SlaMonitorOptions) {
    this.timers = opts.timers ?? nodeTimers;
  }

  /** Adds an item or replaces it (new milestones, policy, …); emitted flags are kept and merged. */
  track(item: SlaItem): void {
    const prev = this.items.get(item.id);
    const emitted = new Set<SlaEventKey>([...(prev?.emitted ?? []), ...(item.emitted ?? [])]);
    this.items.set(item.id, { item, deadlines: slaDeadlines(item.policy, item.calendar, item.openedAt), emitted });
    this.schedule();
  }

  /** Stops watching an item (closed, deleted). */
  untrack(id: string): void {
    this.items.delete(id);
    this.schedule();
  }

  /** The events emitted so far for an item (what the caller persists). */
  emitted(id: string): SlaEventKey[] {
    return [...(this.items.get(id)?.emitted ?? [])];
  }

  /** When the monitor will next look, or null when nothing is pending. */
  nextCheckAt(): number | null {
    let next: number | null = null;
    for (const t of this.items.values()) for (const at of this.pending(t)) if (next === null || at < next) next = at;
    return next;
  }

  /** Emits every event due at `now()` and sets the timer for the next one; returns what it emitted. */
  check(): SlaEvent[] {
    const now = this.opts.now();
    const due: SlaEvent[] = [];
    for (const t of this.items.values()) {
      const status = slaStatus(t.deadlines, t.item.milestones, now);
      for (const clock of SLA_CLOCKS) {
        const s = status[clock];
        const event = (type: SlaEventType, dueAt: number): SlaEvent => ({ type, key: `${clock}:${type}`, itemId: t.item.id, clock, deadline: s.deadline, dueAt, emittedAt: now });
        if (s.state === 'breached' && !t.emitted.has(`${clock}:sla-breach`)) due.push(event('sla-breach', s.deadline));
        if (s.state === 'warning' && s.warnAt !== null && !t.emitted.has(`${clock}:sla-warning`)) due.push(event('sla-warning', s.warnAt));
      }
    }
    due.sort((a, b) => a.dueAt - b.dueAt);
    for (const e of due) {
      this.items.get(e.itemId)?.emitted.add(e.key);
      this.dispatch(e);
    }
    this.schedule();
    return due;
  }

  /** Clears the timer; track/check afterwards set no new one. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  /** Transition instants of an item still to come: a warning (unless breached or warned) and a breach. */
  private *pending(t: Tracked): Generator<number> {
    const stops = stopTimes(t.item.milestones, this.opts.now());
    for (const clock of SLA_CLOCKS) {
      if (stops[clock] !== undefined || t.emitted.has(`${clock}:sla-breach`)) continue;
      const d = t.deadlines.clocks[clock];
      if (d.warnAt !== null && d.warnAt <= d.deadline && !t.emitted.has(`${clock}:sla-warning`)) yield d.warnAt;
      yield d.deadline + 1; // breached once past the deadline
    }
  }

  private dispatch(e: SlaEvent): void {
    try {
      const r = this.opts.onEvent(e);
      if (r instanceof Promise) r.catch((err: unknown) => this.opts.onError(err, e));
    } catch (err) {
      this.opts.onError(err, e);
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.nextCheckAt();
    if (this.timer !== undefined && this.timer.at === next) return;
    this.clearTimer();
    if (next === null) return;
    const delay = Math.min(Math.max(0, next - this.opts.now()), MAX_DELAY_MS);
    const handle = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.check();
    }, delay);
    this.timer = { handle, at: next };
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }
}
