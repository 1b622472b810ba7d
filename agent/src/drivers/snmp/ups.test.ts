import { afterEach, describe, expect, it } from 'vitest';
import { startSwitchSimulator } from '../../simulators/snmp/switch.js';
import { startUpsSimulator, type UpsSimulator, type UpsSimulatorOptions } from '../../simulators/snmp/ups.js';
import { AgentError } from '../../errors.js';
import { pollSignal, snmpDriver } from './test-utils/driver.js';
import type { SnmpDriver } from './driver.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function upsAndDriver(sim: UpsSimulatorOptions = {}, options: Record<string, unknown> = {}): Promise<{ ups: UpsSimulator; driver: SnmpDriver }> {
  const ups = await startUpsSimulator(sim);
  open.push(ups);
  const driver = snmpDriver('ups-1', { host: ups.host, port: ups.port, profile: 'ups-mib', ...options }, sim.now ? { now: sim.now } : {});
  open.push(driver);
  return { ups, driver };
}

describe('snmp driver reading a UPS-MIB agent', () => {
  it('reports a UPS on mains as ok, with its battery, input and output lines', async () => {
    const { driver } = await upsAndDriver();
    const [ups, input, output] = await driver.poll(pollSignal());
    expect(ups).toMatchObject({ device: 'ups-1', state: 'ok' });
    expect(ups?.metrics).toEqual({
      batteryStatus: 'normal',
      secondsOnBattery: 0,
      minutesRemaining: 45,
      chargePct: 100,
      batteryVoltageV: 54.5,
      batteryTemperatureC: 25,
      inputLineBads: 0,
      outputSource: 'normal',
      outputFrequencyHz: 50,
      alarmsPresent: 0,
      onBattery: false,
      lowBattery: false,
      inputVoltageV: 230,
    });
    expect(input).toMatchObject({ component: 'in1', metrics: { voltageV: 230, frequencyHz: 50 } });
    expect(output).toMatchObject({ component: 'out1', metrics: { voltageV: 230, currentA: 4.8, powerW: 990, loadPct: 33 } });
  });

  it('reports a UPS on battery as warn, counting seconds on battery while the charge falls', async () => {
    let clock = 1_750_000_000_000;
    const { ups, driver } = await upsAndDriver({ now: () => clock });
    ups.inject({ kind: 'ups-on-battery' });
    clock += 270_000; // 4.5 min of a 45 min runtime
    const [reading] = await driver.poll(pollSignal());
    expect(reading?.state).toBe('warn');
    expect(reading?.metrics).toMatchObject({
      onBattery: true,
      outputSource: 'battery',
      secondsOnBattery: 270,
      inputVoltageV: 0,
      chargePct: 90,
      minutesRemaining: 40,
      alarmsPresent: 1,
      lowBattery: false,
    });
    ups.clear('ups-on-battery');
    const [after] = await driver.poll(pollSignal());
    expect(after?.metrics).toMatchObject({ onBattery: false, outputSource: 'normal', inputVoltageV: 230 });
    expect(after?.state).toBe('ok');
  });

  it('reports a low battery as fault, on mains or on battery', async () => {
    const { ups, driver } = await upsAndDriver();
    ups.inject({ kind: 'ups-low-battery' });
    const [low] = await driver.poll(pollSignal());
    expect(low?.state).toBe('fault');
    expect(low?.metrics).toMatchObject({ batteryStatus: 'low', lowBattery: true, chargePct: 15, minutesRemaining: 3 });
    ups.inject({ kind: 'ups-on-battery' });
    const [both] = await driver.poll(pollSignal());
    expect(both?.state).toBe('fault');
    expect(both?.metrics).toMatchObject({ onBattery: true, lowBattery: true, alarmsPresent: 2 });
  });

  it('reports alarms present on mains as warn', async () => {
    const { ups, driver } = await upsAndDriver();
    ups.set({ upsAlarmsPresent: 2 }); // e.g. replace battery, fan failure
    const [reading] = await driver.poll(pollSignal());
    expect(reading?.state).toBe('warn');
    expect(reading?.metrics.alarmsPresent).toBe(2);
  });

  it('rejects with snmp-timeout when the UPS falls silent, and reads again when it answers', async () => {
    const { ups, driver } = await upsAndDriver({}, { timeoutMs: 100, retries: 1 });
    ups.inject({ kind: 'ups-silent' });
    const failure = await driver.poll(pollSignal()).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AgentError);
    expect(failure).toMatchObject({ code: 'snmp-timeout', message: expect.stringMatching(/no response within 100 ms \(2 tries\)/) as unknown });
    ups.clear('ups-silent');
    await expect(driver.poll(pollSignal())).resolves.toHaveLength(3);
  });

  it('names the UPS model and firmware in its inventory before any poll', async () => {
    const { driver } = await upsAndDriver({ values: { upsIdentManufacturer: 'Eaton', upsIdentModel: '9SX 3000i', upsIdentUPSSoftwareVersion: '02.14.0026' } });
    expect(await driver.inventory()).toEqual([
      { id: 'ups-1', kind: 'snmp', model: 'Eaton 9SX 3000i', firmware: '02.14.0026', capabilities: ['ups', 'battery', 'input', 'output', 'alarms'] },
    ]);
  });

  it('reads the UPS over SNMPv3 with authentication and privacy', async () => {
    const user = { name: 'monitor', authKey: 'auth-secret-1', privKey: 'priv-secret-1' };
    const { driver } = await upsAndDriver(
      { users: [user] },
      { version: '3', v3: { user: user.name, level: 'authPriv', authKey: user.authKey, privKey: user.privKey } },
    );
    const [reading] = await driver.poll(pollSignal());
    expect(reading?.metrics.batteryStatus).toBe('normal');
  });

  it('marks an agent without UPS-MIB unknown rather than failing the poll', async () => {
    const sw = await startSwitchSimulator();
    open.push(sw);
    const driver = snmpDriver('ups-1', { host: sw.host, port: sw.port, profile: 'ups-mib' });
    open.push(driver);
    const readings = await driver.poll(pollSignal());
    expect(readings).toEqual([{ device: 'ups-1', at: expect.any(Number) as unknown, metrics: {}, state: 'unknown' }]);
  });
});
