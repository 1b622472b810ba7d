import { describe, expect, it } from 'vitest';
import { REGISTERS } from '../registers.js';
import { driftOffsetC } from './drift.js';
import { createControllerModel } from './model.js';
import { NovaStarSimulator } from './simulator.js';
import { readValue } from './test-utils/ask.js';

const MINUTE = 60_000;
const times = Array.from({ length: 40 }, (_, i) => i * 15_000);

function temperature(sim: NovaStarSimulator, port: number, board: number): number | null {
  return readValue(sim, REGISTERS.receivingCardMonitoring, { port, board }, 2).temperatureC;
}

describe('temperature drift', () => {
  it('stays within the amplitude in 0.5 °C steps', () => {
    const offsets = times.map((now) => driftOffsetC({ amplitudeC: 1.5 }, now, 0, 3));
    expect(offsets.every((o) => Math.abs(o) <= 1.5 && Number.isInteger(o * 2))).toBe(true);
    expect(new Set(offsets).size).toBeGreaterThan(3);
  });

  it('is the same for the same seed and time, and differs between cards and seeds', () => {
    const curve = (seed: number, card: number) => times.map((now) => driftOffsetC({ seed }, now, 0, card));
    expect(curve(1, 0)).toEqual(curve(1, 0));
    expect(curve(1, 0)).not.toEqual(curve(1, 1));
    expect(curve(1, 0)).not.toEqual(curve(2, 0));
  });

  it('moves the temperatures a client reads once the simulator ticks', () => {
    const sim = new NovaStarSimulator({ model: createControllerModel({ cardsPerPort: 2 }), drift: { amplitudeC: 2 } });
    const base = temperature(sim, 0, 1) ?? Number.NaN;
    const seen = times.map((now) => (sim.tick(now), temperature(sim, 0, 1) ?? Number.NaN));
    expect(seen.every((t) => t >= base - 2 && t <= base + 2)).toBe(true);
    expect(new Set(seen).size).toBeGreaterThan(1);
  });

  it('gives two simulators with the same clock the same readings', () => {
    const a = new NovaStarSimulator();
    const b = new NovaStarSimulator();
    a.tick(7 * MINUTE);
    b.tick(7 * MINUTE);
    expect(temperature(a, 1, 5)).toBe(temperature(b, 1, 5));
  });

  it('lets an over-temperature fault win over drift', () => {
    const sim = new NovaStarSimulator({ drift: { amplitudeC: 3 } });
    sim.inject({ kind: 'card-over-temperature', port: 0, card: 0, temperatureC: 90 });
    for (const now of times) {
      sim.tick(now);
      expect(temperature(sim, 0, 0)).toBe(90);
    }
  });

  it('does not drift with amplitude 0', () => {
    const sim = new NovaStarSimulator({ drift: { amplitudeC: 0 } });
    const base = temperature(sim, 0, 0);
    sim.tick(3 * MINUTE);
    expect(temperature(sim, 0, 0)).toBe(base);
  });
});
