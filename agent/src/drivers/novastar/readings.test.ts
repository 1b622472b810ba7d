import { novastar } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { cardReading, heldReading } from './readings.js';
import type { CardSlot } from './roster.js';
import { cardHealth } from './states.js';

const AT = 1_750_000_000_000;
const SLOT: CardSlot = { port: 1, card: 4, seen: true };

/** A decoded monitoring block, from the codec's own encoder. */
function block(values: Partial<novastar.MonitoringValues> = {}): novastar.ReceivingCardMonitoring {
  const base: novastar.MonitoringValues = { temperatureC: 40, humidityPct: 45, voltageV: 5, monitorCard: { present: false } };
  return novastar.decodeReceivingCardMonitoring(novastar.encodeReceivingCardMonitoring({ ...base, ...values }));
}

describe('novastar card readings', () => {
  it('addresses a card as controller/p<port>/c<card>', () => {
    expect(cardReading('ctrl-1', AT, SLOT, { kind: 'missing' })).toEqual({ device: 'ctrl-1/p1/c4', at: AT, metrics: {}, state: 'missing' });
  });

  it('reports a card without a monitor card with card-level metrics only', () => {
    const reading = cardReading('ctrl-1', AT, SLOT, { kind: 'present', monitoring: block() });
    expect(reading).toEqual({ device: 'ctrl-1/p1/c4', at: AT, metrics: { temperatureC: 40, humidityPct: 45, voltageV: 5, monitorPresent: false }, state: 'ok' });
  });

  it('leaves out values whose valid bit is clear', () => {
    const reading = cardReading('ctrl-1', AT, SLOT, { kind: 'present', monitoring: block({ temperatureC: null, humidityPct: null }) });
    expect(Object.keys(reading.metrics)).toEqual(['voltageV', 'monitorPresent']);
  });

  it('reports a card the controller refuses to read as unknown with the ack', () => {
    expect(cardReading('ctrl-1', AT, SLOT, { kind: 'refused', ack: 4 })).toMatchObject({ metrics: { ack: 4 }, state: 'unknown' });
  });

  it('reports a held controller with the message the hub shows', () => {
    expect(heldReading('ctrl-1', AT, 4)).toEqual({
      device: 'ctrl-1',
      at: AT,
      metrics: { held: true, message: 'controller held by another client (e.g. NovaLCT)', connectionResets: 4 },
      state: 'held',
    });
  });
});

describe('novastar card health', () => {
  it.each([
    ['a healthy card', 'ok', {}],
    ['a card at 70 °C', 'warn', { temperatureC: 70 }],
    ['a card at 85 °C', 'fault', { temperatureC: 85 }],
    ['a card fed 4.4 V', 'warn', { voltageV: 4.4 }],
    ['a card fed 3.7 V', 'fault', { voltageV: 3.7 }],
    ['a card below freezing', 'ok', { temperatureC: -10 }],
  ] as const)('judges %s as %s', (_name, state, values) => {
    expect(cardHealth(block(values))).toBe(state);
  });
});
