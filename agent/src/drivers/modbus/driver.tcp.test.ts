import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startModbusSimulator, type ModbusSimulator } from '../../simulators/modbus/index.js';
import { describeDriverConformance } from '../../test-utils/conformance.js';
import type { Driver, DriverFactory } from '../types.js';
import { modbusDriverFactory } from './driver.js';
import { describeFaultReadings } from './test-utils/faults.js';
import { modbusDevice, modbusDriver, pollOnce, rejectionOf } from './test-utils/setup.js';

const tcpOptions = (port: number | undefined, profile: string) => ({ transport: 'tcp', host: '127.0.0.1', port, profile, timeoutMs: 300 });

describeDriverConformance('modbus over TCP', {
  factory: modbusDriverFactory() as DriverFactory,
  async start() {
    const sim = await startModbusSimulator({ transport: 'tcp', host: '127.0.0.1', port: 0 }, { profile: 'led-psu-generic' });
    return {
      device: modbusDevice('psu-1', tcpOptions(sim.port, 'led-psu-generic')),
      silence: () => Promise.resolve(sim.inject({ kind: 'silent' })),
      cleanup: () => sim.close(),
    };
  },
});

describeFaultReadings('modbus over TCP', async (profile) => {
  const sim = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile });
  return { driver: modbusDriver(modbusDevice('dev-1', tcpOptions(sim.port, profile))), sim, cleanup: () => sim.close() };
});

describe('modbus driver over TCP', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close();
  });
  const track = <T extends { close(): Promise<void> }>(thing: T): T => (open.push(thing), thing);

  it('reads every metric of the power-supply profile with its realistic defaults', async () => {
    const sim = track(await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'led-psu-generic' }));
    const driver = track(modbusDriver(modbusDevice('psu-1', tcpOptions(sim.port, 'led-psu-generic'))));
    const reading = await pollOnce(driver);
    expect(reading).toMatchObject({ device: 'psu-1', state: 'ok' });
    expect(reading.metrics).toEqual({
      outputVoltageV: 5,
      outputCurrentA: 31.2,
      temperatureC: 38,
      inputVoltageV: 230.4,
      fault: false,
      overTemperature: false,
      underVoltage: false,
      fanFail: false,
      runtimeH: 12_840,
    });
  });

  it('reads 32-bit floats of the energy-meter profile', async () => {
    const sim = track(await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'eastron-sdm630', values: { l2VoltageV: 12.5 } }));
    const driver = track(modbusDriver(modbusDevice('meter', tcpOptions(sim.port, 'eastron-sdm630'))));
    const reading = await pollOnce(driver);
    expect(reading.metrics).toMatchObject({ l1VoltageV: 230.1, l2VoltageV: 12.5, frequencyHz: 50, totalEnergyKWh: 18_342.5 });
    expect(reading.state).toBe('fault'); // phase 2 below 50 V: mains-phase-lost
  });

  it('describes the device by its profile in the inventory', async () => {
    const driver = track(modbusDriver(modbusDevice('psu-1', tcpOptions(1502, 'led-psu-generic'))));
    const [entry] = await driver.inventory();
    expect(entry).toEqual({
      id: 'psu-1',
      kind: 'modbus',
      name: 'LED PSU monitor (unit 1 on tcp://127.0.0.1:1502)',
      model: 'LED PSU monitor',
      capabilities: ['outputVoltageV', 'outputCurrentA', 'temperatureC', 'inputVoltageV', 'fault', 'overTemperature', 'underVoltage', 'fanFail', 'runtimeH'],
    });
  });

  it('rejects with the exception name when the device refuses every register', async () => {
    const sim = track(await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02' }));
    // The meter profile reads input registers 0.. which the sensor does not have.
    const driver = track(modbusDriver(modbusDevice('wrong', tcpOptions(sim.port, 'eastron-sdm630'))));
    const err = (await rejectionOf(pollOnce(driver))) as Error & { code?: string; exception?: { name: string; code: number } };
    expect(err.code).toBe('exception');
    expect(err.exception).toMatchObject({ code: 2, name: 'illegal-data-address' });
    expect(err.message).toMatch(/illegal-data-address/);
  });

  it('keeps the metrics it could read when the device refuses part of the profile, and says so', async () => {
    const sim = track(await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02' }));
    const dir = mkdtempSync(join(tmpdir(), 'ledwatch-modbus-'));
    track({ close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) });
    const profileFile = join(dir, 'sensor-plus.yaml');
    writeFileSync(profileFile, 'name: sensor-plus\nregisters:\n  - { metric: temperatureC, function: input, address: 1, type: s16, scale: 0.1 }\n  - { metric: dewPointC, function: holding, address: 100 }\n');
    const driver = track(modbusDriver(modbusDevice('s', { transport: 'tcp', host: '127.0.0.1', port: sim.port, profileFile })));
    const reading = await pollOnce(driver);
    expect(reading.metrics).toEqual({ temperatureC: 30.5, error: expect.stringMatching(/holding 100\.\.100 with exception 2 \(illegal-data-address\)/) });
    expect(reading.state).toBe('warn');
  });

  it('answers an unknown unit id with a gateway exception, not silence', async () => {
    const sim = track(await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02', unitId: 1 }));
    const driver = track(modbusDriver(modbusDevice('s', { ...tcpOptions(sim.port, 'xy-md02'), unitId: 9 })));
    const err = (await rejectionOf(pollOnce(driver))) as Error & { exception?: { name: string } };
    expect(err.exception?.name).toBe('gateway-target-failed-to-respond');
  });

  it('fails fast with transport-open while nothing listens, then reconnects after the backoff', async () => {
    const first = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'xy-md02' });
    const port = first.port;
    const factory = modbusDriverFactory({ reconnectMinMs: 100, reconnectMaxMs: 200 }) as DriverFactory;
    const driver: Driver = track(modbusDriver(modbusDevice('s', tcpOptions(port, 'xy-md02')), factory));
    expect((await pollOnce(driver)).metrics.temperatureC).toBe(30.5);
    await first.close();
    expect((await rejectionOf(pollOnce(driver))).code).toMatch(/^transport-/); // the link broke, or the reopen was refused
    expect((await rejectionOf(pollOnce(driver))).code).toBe('transport-open');
    const second: ModbusSimulator = track(await startModbusSimulator({ transport: 'tcp', port }, { profile: 'xy-md02', values: { temperatureC: 21 } }));
    await new Promise((r) => setTimeout(r, 250));
    expect((await pollOnce(driver)).metrics.temperatureC).toBe(21);
    expect(second.port).toBe(port);
  });
});
