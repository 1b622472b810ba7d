import { afterEach, describe, expect, it } from 'vitest';
import type { Reading } from '@ledwatch/protocols';
import { startSwitchSimulator, type SwitchSimulator } from '../../simulators/snmp/switch.js';
import { pollSignal, snmpDriver } from './test-utils/driver.js';
import type { SnmpDriver } from './driver.js';

const HOUR = 3_600_000;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** A switch and a driver sharing one clock, so polls can be minutes apart in no time. */
async function switchAndDriver(options: Record<string, unknown> = {}): Promise<{ sw: SwitchSimulator; driver: SnmpDriver; tick(ms: number): void }> {
  let clock = 1_750_000_000_000;
  const now = (): number => clock;
  const sw = await startSwitchSimulator({ now });
  open.push(sw);
  const driver = snmpDriver('sw-1', { host: sw.host, port: sw.port, profile: 'if-mib', ...options }, { now });
  open.push(driver);
  return { sw, driver, tick: (ms) => (clock += ms) };
}

const port = (readings: Reading[], name: string): Reading | undefined => readings.find((r) => r.component === name);

describe('snmp driver reading IF-MIB from a switch', () => {
  it('reports each interface by ifName with status, errors and 64-bit octet counters', async () => {
    const { sw, driver } = await switchAndDriver();
    sw.count(1, { inErrors: 3, outErrors: 1 });
    const readings = await driver.poll(pollSignal());
    expect(readings.map((r) => r.component)).toEqual([undefined, 'eth1', 'eth2', 'eth3', 'eth4']);
    expect(port(readings, 'eth1')?.metrics).toMatchObject({
      ifIndex: 1,
      operStatus: 'up',
      adminStatus: 'up',
      inErrors: 3,
      outErrors: 1,
      inOctets: 5_000_000_000, // past 2^32: only ifHCInOctets holds it
      outOctets: 2_000_000,
      speedMbps: 1000,
      alias: 'LED wall uplink',
      flapsLastHour: 0,
    });
    expect(readings[0]).toMatchObject({ device: 'sw-1', state: 'ok', metrics: { sysName: 'sw-sim', interfaces: 4, interfacesUp: 4, interfacesDown: 0 } });
  });

  it('counts a link that dropped and came back across polls as one flap in the last hour', async () => {
    const { sw, driver, tick } = await switchAndDriver();
    await driver.poll(pollSignal()); // baseline
    sw.setLink(2, 'down');
    tick(10_000);
    const down = await driver.poll(pollSignal());
    expect(port(down, 'eth2')).toMatchObject({ state: 'warn', metrics: { operStatus: 'down', flapsLastHour: 1 } });
    expect(down[0]?.metrics).toMatchObject({ interfacesDown: 1, flapsLastHour: 1 });
    sw.setLink(2, 'up');
    tick(10_000);
    const back = await driver.poll(pollSignal());
    expect(port(back, 'eth2')).toMatchObject({ state: 'warn', metrics: { operStatus: 'up', flapsLastHour: 1 } });
    expect(back[0]).toMatchObject({ state: 'warn', metrics: { interfacesDown: 0, flapsLastHour: 1 } });
    tick(HOUR);
    const later = await driver.poll(pollSignal());
    expect(port(later, 'eth2')).toMatchObject({ state: 'ok', metrics: { flapsLastHour: 0 } });
  });

  it('counts a drop and return between two polls from ifLastChange', async () => {
    const { sw, driver, tick } = await switchAndDriver();
    await driver.poll(pollSignal());
    sw.bounce(3);
    sw.bounce(3); // several changes between two polls count as what a poll can see: one flap
    tick(10_000);
    const readings = await driver.poll(pollSignal());
    expect(port(readings, 'eth3')?.metrics).toMatchObject({ operStatus: 'up', flapsLastHour: 1 });
  });

  it('neither counts nor flags a port an operator shut down', async () => {
    const { sw, driver, tick } = await switchAndDriver();
    await driver.poll(pollSignal());
    sw.setAdmin(4, 'down');
    sw.setLink(4, 'down');
    tick(10_000);
    const readings = await driver.poll(pollSignal());
    expect(port(readings, 'eth4')).toMatchObject({ state: 'ok', metrics: { adminStatus: 'down', operStatus: 'down', flapsLastHour: 0 } });
    expect(readings[0]?.metrics).toMatchObject({ interfacesUp: 3, interfacesDown: 0 });
  });

  it('reports only the interfaces that match the configured patterns', async () => {
    const { driver } = await switchAndDriver({ interfaces: ['eth1', 'Ethernet port ?', 'if4'] }); // ifName, ifDescr, if<index>
    const named = await driver.poll(pollSignal());
    expect(named.map((r) => r.component)).toEqual([undefined, 'eth1', 'eth2', 'eth3', 'eth4']);
    const { driver: narrow } = await switchAndDriver({ interfaces: ['eth[1]', 'if3'] }); // [ ] are literal, not a class
    const readings = await narrow.poll(pollSignal());
    expect(readings.map((r) => r.component)).toEqual([undefined, 'eth3']);
    expect(readings[0]?.metrics.interfaces).toBe(1);
  });
});
