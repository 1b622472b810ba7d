import type { novastar } from '@ledwatch/protocols';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '../types.js';
import { byDevice, tcpRig, type TcpRig } from './test-utils/harness.js';

interface Case {
  readonly fault: novastar.Fault;
  readonly device: string;
  readonly metrics: Reading['metrics'];
  readonly state: Reading['state'];
}

/** Each fault the simulator injects, and the reading the hub then gets. */
const CASES: Readonly<Record<novastar.FaultKind, Case>> = {
  'card-over-temperature': {
    fault: { kind: 'card-over-temperature', port: 0, card: 3, temperatureC: 86 },
    device: 'ctrl-1/p0/c3',
    metrics: { temperatureC: 86 },
    state: 'fault',
  },
  'card-missing': { fault: { kind: 'card-missing', port: 1, card: 4 }, device: 'ctrl-1/p1/c4', metrics: {}, state: 'missing' },
  'fan-stopped': { fault: { kind: 'fan-stopped', port: 0, card: 1, fan: 2 }, device: 'ctrl-1/p0/c1', metrics: { fan2Rpm: 0, fansStopped: 1 }, state: 'warn' },
  smoke: { fault: { kind: 'smoke', port: 1, card: 0 }, device: 'ctrl-1/p1/c0', metrics: { smoke: true }, state: 'fault' },
  'door-open': { fault: { kind: 'door-open', port: 0, card: 5, door: 1 }, device: 'ctrl-1/p0/c5', metrics: { door1Open: false, door2Open: true, doorsOpen: 1 }, state: 'warn' },
  'ribbon-error': {
    fault: { kind: 'ribbon-error', port: 0, card: 6, bits: [0, 9] },
    device: 'ctrl-1/p0/c6',
    metrics: { ribbonErrors: 2, ribbonMap: '01020000000000000000000000000000' },
    state: 'ok', // unconnected pins read as errors too: the hub's rules judge the count
  },
  'dvi-lost': { fault: { kind: 'dvi-lost' }, device: 'ctrl-1', metrics: { dviSignal: false, inputDvi1: false }, state: 'warn' },
  'card-under-voltage': { fault: { kind: 'card-under-voltage', port: 1, card: 7, voltageV: 4.2 }, device: 'ctrl-1/p1/c7', metrics: { voltageV: 4.2 }, state: 'warn' },
  'redundancy-backup': { fault: { kind: 'redundancy-backup', port: 1 }, device: 'ctrl-1', metrics: { port0Backup: false, port1Backup: true, backupPorts: 1 }, state: 'warn' },
};

describe('novastar driver sees each fault injected into the simulator', () => {
  let rig: TcpRig;
  beforeAll(async () => {
    rig = await tcpRig();
    await rig.poll(); // the cards are known before anything goes wrong
  });
  beforeEach(() => rig.sim.clearAll());
  afterAll(() => rig.close());

  it.each(Object.entries(CASES))('reports %s', async (_kind, c) => {
    rig.sim.inject(c.fault);
    const reading = byDevice(await rig.poll(), c.device);
    if (c.state === 'missing') expect(reading.metrics).toEqual({});
    else expect(reading.metrics).toMatchObject(c.metrics);
    expect(reading.state).toBe(c.state);
  });

  it('counts a missing card on the controller and reports it present again once it answers', async () => {
    rig.sim.inject({ kind: 'card-missing', port: 0, card: 0 });
    expect(byDevice(await rig.poll(), 'ctrl-1').metrics.cardsMissing).toBe(1);
    rig.sim.clearAll();
    const readings = await rig.poll();
    expect(byDevice(readings, 'ctrl-1/p0/c0').state).toBe('ok');
    expect(byDevice(readings, 'ctrl-1').metrics.cardsMissing).toBe(0);
  });

  it('warns at 70 °C and calls 85 °C a fault', async () => {
    rig.sim.inject({ kind: 'card-over-temperature', port: 0, card: 0, temperatureC: 72.5 });
    expect(byDevice(await rig.poll(), 'ctrl-1/p0/c0')).toMatchObject({ state: 'warn', metrics: { temperatureC: 72.5 } });
    rig.sim.inject({ kind: 'card-over-temperature', port: 0, card: 0, temperatureC: 85 });
    expect(byDevice(await rig.poll(), 'ctrl-1/p0/c0').state).toBe('fault');
  });
});
