import { describe, expect, it } from 'vitest';
import { DEVICE_TYPE } from '../frame.js';
import type { MonitorCardReadings } from '../monitoring.js';
import { REGISTERS } from '../registers.js';
import { codeOf } from '../test-utils/errors.js';
import { FAULT_KINDS, faultId, type Fault } from './faults.js';
import { createControllerModel } from './model.js';
import { NovaStarSimulator } from './simulator.js';
import { read, readBlock, readValue } from './test-utils/ask.js';

const AT = { port: 1, board: 2 };

function newSim(): NovaStarSimulator {
  return new NovaStarSimulator({ model: createControllerModel({ ports: 2, cardsPerPort: 4 }) });
}

function monitorCard(sim: NovaStarSimulator): MonitorCardReadings {
  const { monitorCard } = readBlock(sim, AT);
  if (!monitorCard.present) throw new Error('no monitor card in the answer');
  return monitorCard;
}

interface Case {
  /** Which read shows it. */
  readonly via: string;
  readonly fault: Fault;
  /** The decoded reading the fault shows in. */
  readonly reading: (sim: NovaStarSimulator) => unknown;
  readonly faulty: unknown;
}

const CASES: readonly Case[] = [
  {
    via: 'the 82-byte monitoring block',
    fault: { kind: 'card-over-temperature', port: 1, card: 2 },
    reading: (sim) => readBlock(sim, AT).temperatureC,
    faulty: 85,
  },
  {
    via: "the vendor's 2-byte temperature read",
    fault: { kind: 'card-over-temperature', port: 1, card: 2, temperatureC: 72.5 },
    reading: (sim) => readValue(sim, REGISTERS.receivingCardMonitoring, AT, 2).temperatureC,
    faulty: 72.5,
  },
  {
    via: 'the identity read answering ack 1',
    fault: { kind: 'card-missing', port: 1, card: 2 },
    reading: (sim) => read(sim, DEVICE_TYPE.receivingCard, REGISTERS.receivingCardIdentity.address, 2, AT).ack,
    faulty: 1,
  },
  { via: "the monitor card's fans", fault: { kind: 'fan-stopped', port: 1, card: 2, fan: 2 }, reading: (sim) => monitorCard(sim).fansRpm[2], faulty: 0 },
  { via: "the monitor card's smoke detector", fault: { kind: 'smoke', port: 1, card: 2 }, reading: (sim) => monitorCard(sim).smoke, faulty: true },
  { via: "the monitor card's doors", fault: { kind: 'door-open', port: 1, card: 2, door: 1 }, reading: (sim) => monitorCard(sim).doorsOpen, faulty: [false, true] },
  { via: "the block's ribbon map, default bit 0", fault: { kind: 'ribbon-error', port: 1, card: 2 }, reading: (sim) => monitorCard(sim).ribbonErrorBits, faulty: [0] },
  {
    via: 'the 16-byte ribbon read at 0x0A000042',
    fault: { kind: 'ribbon-error', port: 1, card: 2, bits: [77, 5] },
    reading: (sim) => readValue(sim, REGISTERS.ribbonStatus, AT).ribbonErrorBits,
    faulty: [5, 77],
  },
  { via: 'the DVI signal register', fault: { kind: 'dvi-lost' }, reading: (sim) => readValue(sim, REGISTERS.dviSignal), faulty: { signal: false } },
  { via: 'the input bitmap', fault: { kind: 'dvi-lost' }, reading: (sim) => readValue(sim, REGISTERS.inputBitmap), faulty: { present: [] } },
  {
    via: "the vendor's 1-byte voltage read at 0x0A000003",
    fault: { kind: 'card-under-voltage', port: 1, card: 2 },
    reading: (sim) => readValue(sim, REGISTERS.cardVoltage, AT).voltageV,
    faulty: 4.2,
  },
  {
    via: "the monitoring block's card voltage",
    fault: { kind: 'card-under-voltage', port: 1, card: 2, voltageV: 3.7 },
    reading: (sim) => readBlock(sim, AT).voltageV,
    faulty: 3.7,
  },
  { via: 'the redundancy register', fault: { kind: 'redundancy-backup', port: 1 }, reading: (sim) => readValue(sim, REGISTERS.redundancy)[1]?.backup, faulty: true },
];

describe('fault injection', () => {
  it('has a case for every fault kind', () => {
    expect(new Set(CASES.map((c) => c.fault.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it.each(CASES.map((c) => [faultId(c.fault), c.via, c] as const))('shows %s in %s, and clearing it restores the reading', (_id, _via, c) => {
    const sim = newSim();
    const normal = c.reading(sim);
    expect(normal).not.toEqual(c.faulty);
    sim.inject(c.fault);
    expect(c.reading(sim)).toEqual(c.faulty);
    expect(sim.clear(c.fault)).toBe(true);
    expect(c.reading(sim)).toEqual(normal);
  });

  it('leaves the other cards alone', () => {
    const sim = newSim();
    const before = readBlock(sim, { port: 1, board: 1 });
    sim.inject({ kind: 'card-over-temperature', port: 1, card: 2 });
    sim.inject({ kind: 'smoke', port: 1, card: 2 });
    expect(readBlock(sim, { port: 1, board: 1 })).toEqual(before);
  });

  it('combines faults on one card', () => {
    const sim = newSim();
    sim.inject({ kind: 'fan-stopped', port: 1, card: 2, fan: 0 });
    sim.inject({ kind: 'fan-stopped', port: 1, card: 2, fan: 3 });
    sim.inject({ kind: 'door-open', port: 1, card: 2, door: 0 });
    const card = monitorCard(sim);
    expect(card.fansRpm[0]).toBe(0);
    expect(card.fansRpm[3]).toBe(0);
    expect(card.fansRpm[1]).toBeGreaterThan(2000);
    expect(card.doorsOpen).toEqual([true, false]);
  });

  it('lists the active faults and replaces one injected again with the same id', () => {
    const sim = newSim();
    const id = sim.inject({ kind: 'card-over-temperature', port: 1, card: 2, temperatureC: 80 });
    sim.inject({ kind: 'dvi-lost' });
    expect(sim.inject({ kind: 'card-over-temperature', port: 1, card: 2, temperatureC: 95 })).toBe(id);
    expect(sim.faults()).toEqual([{ kind: 'card-over-temperature', port: 1, card: 2, temperatureC: 95 }, { kind: 'dvi-lost' }]);
    expect(readBlock(sim, AT).temperatureC).toBe(95);
  });

  it('clears by id and says whether the fault was active', () => {
    const sim = newSim();
    const id = sim.inject({ kind: 'smoke', port: 1, card: 2 });
    expect(id).toBe('smoke:1:2');
    expect(sim.clear(id)).toBe(true);
    expect(sim.clear(id)).toBe(false);
    expect(sim.faults()).toEqual([]);
  });

  it("shows the model's value after clearing, including a change made while the fault was active", () => {
    const sim = newSim();
    sim.inject({ kind: 'card-over-temperature', port: 1, card: 2 });
    const card = sim.model.cards[1]?.[2];
    if (card) card.temperatureC = 41.5;
    sim.clearAll();
    expect(readBlock(sim, AT).temperatureC).toBe(41.5);
  });

  it.each<[string, Fault]>([
    ['a port beyond the model', { kind: 'smoke', port: 2, card: 0 }],
    ['a card beyond the model', { kind: 'card-missing', port: 0, card: 4 }],
    ['a fifth fan', { kind: 'fan-stopped', port: 0, card: 0, fan: 4 }],
    ['a third door', { kind: 'door-open', port: 0, card: 0, door: 2 }],
    ['ribbon bit 128', { kind: 'ribbon-error', port: 0, card: 0, bits: [128] }],
    ['a temperature the register cannot hold', { kind: 'card-over-temperature', port: 0, card: 0, temperatureC: 130 }],
    ['a voltage the register cannot hold', { kind: 'card-under-voltage', port: 0, card: 0, voltageV: -1 }],
    ['redundancy on a port the model lacks', { kind: 'redundancy-backup', port: 3 }],
  ])('refuses a fault naming %s with bad-field', (_what, fault) => {
    const sim = newSim();
    expect(codeOf(() => sim.inject(fault))).toBe('bad-field');
    expect(sim.faults()).toEqual([]);
  });

  it('refuses a monitor-card fault on a card without a monitor card', () => {
    const sim = new NovaStarSimulator({ model: createControllerModel({ monitorCards: false }) });
    expect(codeOf(() => sim.inject({ kind: 'fan-stopped', port: 0, card: 0, fan: 0 }))).toBe('bad-field');
    expect(codeOf(() => sim.inject({ kind: 'card-over-temperature', port: 0, card: 0 }))).toBeUndefined();
  });
});
