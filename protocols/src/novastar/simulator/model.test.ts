import { describe, expect, it } from 'vitest';
import { codeOf } from '../test-utils/errors.js';
import { createControllerModel, type ControllerModelOptions } from './model.js';
import { NovaStarSimulator } from './simulator.js';
import { readBlock } from './test-utils/ask.js';

describe('createControllerModel', () => {
  it('builds an MCTRL660 Pro with 2 ports of 8 present cards by default', () => {
    const model = createControllerModel();
    expect(model).toMatchObject({ index: 0, ports: 2, cardsPerPort: 8, sendingCard: { modelId: 0x1107 } });
    expect(model.cards.flat().filter((c) => c.present)).toHaveLength(16);
  });

  it('gives realistic readings that vary a little from card to card', () => {
    const cards = createControllerModel().cards.flat();
    const temperatures = cards.map((c) => c.temperatureC ?? Number.NaN);
    expect(temperatures.every((t) => t >= 35 && t <= 40)).toBe(true);
    expect(new Set(temperatures).size).toBeGreaterThan(3);
    expect(cards.every((c) => (c.voltageV ?? 0) >= 4.9 && (c.voltageV ?? 0) <= 5.1)).toBe(true);
    const fans = cards.flatMap((c) => c.monitorCard?.fansRpm ?? []);
    expect(fans.every((rpm) => rpm !== null && rpm >= 2900 && rpm <= 3100)).toBe(true);
  });

  it('reads back exactly its default values, since they sit on the wire grid', () => {
    const sim = new NovaStarSimulator();
    for (const [port, board] of [[0, 0], [1, 7], [0, 5]] as const) {
      const card = sim.model.cards[port]?.[board];
      const decoded = readBlock(sim, { port, board });
      expect(decoded).toMatchObject({
        temperatureC: card?.temperatureC,
        humidityPct: card?.humidityPct,
        voltageV: card?.voltageV,
        monitorCard: { present: true, fansRpm: card?.monitorCard?.fansRpm, voltagesV: card?.monitorCard?.voltagesV },
      });
    }
  });

  it('leaves out the monitor cards when asked', () => {
    const sim = new NovaStarSimulator({ model: createControllerModel({ monitorCards: false }) });
    expect(readBlock(sim).monitorCard).toEqual({ present: false });
  });

  it.each<[string, ControllerModelOptions]>([
    ['no ports', { ports: 0 }],
    ['17 ports', { ports: 17 }],
    ['no cards', { cardsPerPort: 0 }],
    ['a fractional card count', { cardsPerPort: 2.5 }],
    ['index FF, the broadcast address', { index: 0xff }],
  ])('refuses %s with bad-field', (_what, options) => {
    expect(codeOf(() => createControllerModel(options))).toBe('bad-field');
  });
});
