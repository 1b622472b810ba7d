/**
 * A fake clock and timer for SlaMonitor tests: `advanceTo(t)` moves time forward and fires
 * each due timer at its own instant, in order.
 */
import type { TimerApi } from './monitor.js';

export class FakeTime implements TimerApi {
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  constructor(public now: number) {}

  setTimeout(fn: () => void, ms: number): number {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Instants of the timers now set. */
  scheduled(): number[] {
    return [...this.timers.values()].map((t) => t.at);
  }

  advanceTo(t: number): void {
    for (;;) {
      const due = [...this.timers].filter(([, v]) => v.at <= t).sort(([, a], [, b]) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].fn();
    }
    this.now = t;
  }
}
