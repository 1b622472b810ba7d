/**
 * Small deterministic temperature drift so live charts move: each card's offset follows a
 * slow sine with a phase taken from (seed, port, card). It is a pure function of `now`,
 * so the same seed and clock give the same readings on every run, and a test can predict
 * them. Offsets are whole 0.5 °C steps (the register's resolution).
 */
export interface DriftOptions {
  /** Phase seed; other seeds move the cards out of step differently (default 1). */
  readonly seed?: number;
  /** Peak offset in °C (default 1). 0 turns drift off. */
  readonly amplitudeC?: number;
  /** One full swing, ms (default 10 minutes). */
  readonly periodMs?: number;
}

export const DEFAULT_DRIFT = { seed: 1, amplitudeC: 1, periodMs: 600_000 } as const;

/** The offset in °C added to a card's temperatures at time `now` (ms). */
export function driftOffsetC(options: DriftOptions, now: number, port: number, card: number): number {
  const { seed, amplitudeC, periodMs } = { ...DEFAULT_DRIFT, ...options };
  const phase = 2 * Math.PI * unitHash(seed, port, card);
  const offset = amplitudeC * Math.sin((2 * Math.PI * now) / periodMs + phase);
  return Math.round(offset * 2) / 2 || 0; // `|| 0` turns -0 into 0
}

/** A number in [0, 1) from three integers (mulberry32's mixing step). */
function unitHash(seed: number, port: number, card: number): number {
  let t = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(port + 1, 0x85ebca6b) ^ Math.imul(card + 1, 0xc2b2ae35)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
}
