import { validatePayload } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { startNovaStarTcpSimulator } from '../../simulators/novastar/tcp.js';
import { describeDriverConformance } from '../../test-utils/conformance.js';
import { novastarDriverFactory } from './driver.js';
import { byDevice, tcpRig, type TcpRig } from './test-utils/harness.js';

describeDriverConformance('novastar over TCP', {
  factory: novastarDriverFactory(),
  async start() {
    const server = await startNovaStarTcpSimulator();
    return {
      device: { id: 'ctrl-1', kind: 'novastar', pollIntervalS: 10, options: { transport: 'tcp', host: server.host, port: server.port } },
      silence: () => server.close(),
      cleanup: () => server.close(),
    };
  },
});

describeDriverConformance('novastar over TCP, controller powered but silent', {
  factory: novastarDriverFactory(),
  async start() {
    const server = await startNovaStarTcpSimulator();
    return {
      device: { id: 'ctrl-1', kind: 'novastar', pollIntervalS: 10, options: { transport: 'tcp', host: server.host, port: server.port } },
      silence: () => {
        server.muted = true;
        return Promise.resolve();
      },
      cleanup: () => server.close(),
    };
  },
});

describe('novastar driver over TCP', () => {
  const rigs: TcpRig[] = [];
  const rig = async (extra: Record<string, unknown> = {}): Promise<TcpRig> => {
    const r = await tcpRig(extra);
    rigs.push(r);
    return r;
  };
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.close();
  });

  it('reads the controller and every card on both ports, addressed controller › port › card', async () => {
    const { poll } = await rig();
    const readings = await poll();
    expect(readings.map((r) => r.device)).toEqual([
      'ctrl-1',
      ...[0, 1].flatMap((port) => Array.from({ length: 8 }, (_, card) => `ctrl-1/p${port}/c${card}`)),
    ]);
    expect(readings.every((r) => r.state === 'ok')).toBe(true);
    expect(() => validatePayload('telemetry', { seq: 1, readings })).not.toThrow();
  });

  it('reports the controller model, inputs and redundancy as metrics', async () => {
    const { poll } = await rig();
    expect(byDevice(await poll(), 'ctrl-1').metrics).toMatchObject({
      modelId: 0x1107,
      model: 'MCTRL660 Pro',
      fpgaVersion: '4.3.0.0',
      dviSignal: true,
      inputDvi1: true,
      inputHdmi: false,
      selectedInput: 0x58,
      selectedInputName: 'DVI',
      port0Backup: false,
      port1Backup: false,
      backupPorts: 0,
      ambientLux: 400,
      cards: 16,
      cardsMissing: 0,
    });
  });

  it('reports a card monitoring block, its monitor card and brightness as metrics', async () => {
    const { poll, sim } = await rig();
    const card = sim.effectiveCard(1, 2);
    const metrics = byDevice(await poll(), 'ctrl-1/p1/c2').metrics;
    expect(metrics).toMatchObject({
      temperatureC: card?.temperatureC,
      voltageV: card?.voltageV,
      humidityPct: card?.humidityPct,
      monitorPresent: true,
      smoke: false,
      fansStopped: 0,
      door1Open: false,
      ribbonErrors: 0,
      brightness: 255,
    });
    expect(metrics.fan0Rpm).toBeGreaterThan(2000);
    expect(metrics.voltage8V).toBeGreaterThan(4.5);
  });

  it('lists the controller and its cards in the inventory once polled', async () => {
    const { poll, driver } = await rig();
    expect(await driver.inventory()).toEqual([{ id: 'ctrl-1', kind: 'novastar', capabilities: expect.any(Array) as unknown }]);
    await poll();
    const inventory = await driver.inventory();
    expect(inventory[0]).toMatchObject({ id: 'ctrl-1', model: 'MCTRL660 Pro', firmware: '4.3.0.0', serial: '4e4f564153494d31' });
    expect(inventory[1]).toMatchObject({ id: 'ctrl-1/p0/c0', parent: 'ctrl-1', model: 'NovaStar receiving card 0x4101', firmware: '4.6.1.0' });
    expect(inventory).toHaveLength(17);
    expect(() => validatePayload('inventory', { sessionId: 's', at: Date.now(), devices: inventory })).not.toThrow();
  });

  it('scans only the configured number of ports', async () => {
    const { poll } = await rig({ ports: 1 });
    const devices = (await poll()).map((r) => r.device);
    expect(devices).toHaveLength(9);
    expect(devices.some((d) => d.includes('/p1/'))).toBe(false);
  });

  it('reconnects after the controller drops the connection', async () => {
    const { poll, server } = await rig();
    await poll();
    server.dropClients();
    await new Promise((r) => setTimeout(r, 20));
    await expect(poll()).resolves.toHaveLength(17);
  });
});
