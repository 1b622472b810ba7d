/**
 * Site clock skew. Every telemetry batch carries `sentAt` (the agent's clock when it sent
 * the batch); the hub compares it with the arrival time. The difference is the site clock
 * error plus the network delay, so the smallest difference over recent batches estimates
 * the clock error (delay only ever adds). Beyond the threshold the hub raises a
 * `clock-skew` event and stores readings on corrected time (`at` + estimated error), so a
 * site clock that jumped backwards cannot write over real history; back within half the
 * threshold, it clears the event and stores readings as they come.
 */

export interface SkewObservation {
  /** Estimated site clock error in ms (positive: the site clock is behind). */
  offsetMs: number;
  /** Readings of this batch are to be stored at `at + offsetMs`. */
  correct: boolean;
  /** Set when the skew state changed with this batch. */
  change?: 'raised' | 'cleared';
}

interface AgentClock {
  samples: number[];
  skewed: boolean;
}

const WINDOW = 8;

export class ClockSkewTracker {
  readonly #clocks = new Map<string, AgentClock>();

  constructor(private readonly thresholdMs: number) {}

  observe(agentId: string, sentAt: number, receivedAt: number): SkewObservation {
    let clock = this.#clocks.get(agentId);
    if (clock === undefined) {
      clock = { samples: [], skewed: false };
      this.#clocks.set(agentId, clock);
    }
    const sample = receivedAt - sentAt;
    // A clock jump shows at once: a sample far from the window's estimate starts a new window.
    const previous = estimate(clock.samples);
    if (previous !== undefined && Math.abs(sample - previous) > this.thresholdMs) clock.samples = [];
    clock.samples.push(sample);
    if (clock.samples.length > WINDOW) clock.samples.shift();
    const offsetMs = estimate(clock.samples) ?? sample;
    let change: SkewObservation['change'];
    if (!clock.skewed && Math.abs(offsetMs) > this.thresholdMs) {
      clock.skewed = true;
      change = 'raised';
    } else if (clock.skewed && Math.abs(offsetMs) <= this.thresholdMs / 2) {
      clock.skewed = false;
      change = 'cleared';
    }
    return { offsetMs, correct: clock.skewed, ...(change ? { change } : {}) };
  }

  /** The current estimate, without a new sample (for a batch whose arrival time says nothing). */
  current(agentId: string): SkewObservation {
    const clock = this.#clocks.get(agentId);
    if (clock === undefined) return { offsetMs: 0, correct: false };
    return { offsetMs: estimate(clock.samples) ?? 0, correct: clock.skewed };
  }

  forget(agentId: string): void {
    this.#clocks.delete(agentId);
  }
}

/** The smallest |sample| keeps its sign: network delay only adds to the true offset. */
function estimate(samples: readonly number[]): number | undefined {
  if (samples.length === 0) return undefined;
  return samples.reduce((best, s) => (s < best ? s : best));
}
