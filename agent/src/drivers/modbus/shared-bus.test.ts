import { afterEach, describe, expect, it } from 'vitest';
import { startModbusBusSimulator } from '../../simulators/modbus/index.js';
import { openPtyPair, socatAvailable } from '../../test-utils/pty.js';
import type { Driver, DriverFactory } from '../types.js';
import { ModbusBusRegistry } from './bus-registry.js';
import { modbusDriverFactory } from './driver.js';
import { modbusDevice, modbusDriver, pollOnce, rejectionOf, thrownBy } from './test-utils/setup.js';

describe.skipIf(!socatAvailable())('two devices on one RS-485 bus (one pty)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function rig(): Promise<{ sensor: Driver; psu: Driver; buses: ModbusBusRegistry; bus: Awaited<ReturnType<typeof startModbusBusSimulator>> }> {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    const bus = await startModbusBusSimulator({ transport: 'rtu', path: pty.b }, [
      { profile: 'xy-md02', unitId: 1 },
      { profile: 'led-psu-generic', unitId: 2 },
    ]);
    cleanups.push(() => bus.close());
    const buses = new ModbusBusRegistry();
    const factory = modbusDriverFactory({ buses }) as DriverFactory;
    const options = { transport: 'rtu', path: pty.a, timeoutMs: 300 };
    const sensor = modbusDriver(modbusDevice('sensor', { ...options, profile: 'xy-md02', unitId: 1 }), factory);
    const psu = modbusDriver(modbusDevice('psu', { ...options, profile: 'led-psu-generic', unitId: 2 }), factory);
    cleanups.push(() => sensor.close(), () => psu.close());
    return { sensor, psu, buses, bus };
  }

  it('shares one serial port between both devices', async () => {
    const { buses, sensor, psu } = await rig();
    expect([...buses.buses().values()]).toEqual([['sensor', 'psu']]);
    await sensor.close();
    expect([...buses.buses().values()]).toEqual([['psu']]);
    await psu.close();
    expect(buses.buses().size).toBe(0);
  });

  it('reads each unit correctly when both poll at the same moment, round after round', async () => {
    const { sensor, psu, bus } = await rig();
    bus.unit(2).inject({ kind: 'psu-fan-fail' });
    for (let round = 0; round < 5; round++) {
      bus.unit(1).set('temperatureC', 20 + round);
      const [s, p] = await Promise.all([pollOnce(sensor), pollOnce(psu)]);
      expect(s.metrics).toEqual({ temperatureC: 20 + round, humidityPct: 54.6 });
      expect(p.metrics).toMatchObject({ outputVoltageV: 5, fanFail: true });
    }
  });

  it('keeps reading one device while the other on the same bus is silent', async () => {
    const { sensor, psu, bus } = await rig();
    bus.unit(2).inject({ kind: 'silent' });
    const [s, p] = await Promise.allSettled([pollOnce(sensor), pollOnce(psu)]);
    expect(s).toMatchObject({ status: 'fulfilled', value: { metrics: { temperatureC: 30.5 } } });
    expect(p).toMatchObject({ status: 'rejected', reason: { code: 'modbus-timeout' } });
    expect((await pollOnce(sensor)).metrics.humidityPct).toBe(54.6);
    expect((await rejectionOf(pollOnce(psu))).message).toMatch(/unit 2 on rtu:.* did not answer/);
  });
});

describe('devices that cannot share a bus', () => {
  const factory = (): DriverFactory => modbusDriverFactory({ buses: new ModbusBusRegistry() }) as DriverFactory;
  const rtu = (extra: Record<string, unknown>) => ({ transport: 'rtu', path: '/dev/ttyUSB7', profile: 'xy-md02', ...extra });

  it('refuses a second serial setting on one path, naming both devices and speeds', async () => {
    const f = factory();
    const first = modbusDriver(modbusDevice('a', rtu({ unitId: 1 })), f);
    const err = thrownBy(() => modbusDriver(modbusDevice('b', rtu({ unitId: 2, baudRate: 19200 })), f));
    expect(err.code).toBe('modbus-options');
    expect(err.message).toMatch(/device b wants rtu:\/dev\/ttyUSB7 at 19200 8N1, but device a .* uses 9600 8N1/);
    await first.close();
  });

  it('refuses two devices with one unit id on one bus', async () => {
    const f = factory();
    const first = modbusDriver(modbusDevice('a', rtu({ unitId: 3 })), f);
    const err = thrownBy(() => modbusDriver(modbusDevice('b', rtu({ unitId: 3, profile: 'led-psu-generic' })), f));
    expect(err.code).toBe('modbus-options');
    expect(err.message).toMatch(/devices a and b both use unit 3 on rtu:\/dev\/ttyUSB7/);
    await first.close();
  });
});
