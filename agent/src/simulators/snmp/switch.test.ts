import { afterEach, describe, expect, it } from 'vitest';
import { startSwitchSimulator, counter64, type SwitchSimulator } from './switch.js';
import { snmpGet, snmpValues } from './test-utils/get.js';

const IF = '1.3.6.1.2.1.2.2.1';
const IFX = '1.3.6.1.2.1.31.1.1.1';

const sims: SwitchSimulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

describe('switch simulator', () => {
  it('encodes 64-bit counters as 8 big-endian bytes', () => {
    expect(counter64(5_000_000_000)).toEqual(Buffer.from([0x00, 0x00, 0x00, 0x01, 0x2a, 0x05, 0xf2, 0x00]));
    expect(counter64(-1)).toEqual(Buffer.alloc(8));
  });

  it('serves ifTable and ifXTable rows joined on ifIndex', async () => {
    const sw = await startSwitchSimulator({ ports: 2, sysName: 'core-1' });
    sims.push(sw);
    expect(await snmpValues(sw.port, ['1.3.6.1.2.1.1.5.0', `${IF}.2.2`, `${IF}.8.2`, `${IFX}.1.2`, `${IFX}.15.2`])).toEqual(['core-1', 'Ethernet port 2', 1, 'eth2', 1000]);
    const [octets] = await snmpGet(sw.port, [`${IFX}.6.1`]);
    expect(octets).toMatchObject({ type: 70, value: counter64(5_000_000_000) });
  });

  it('stamps a link change with the sysUpTime of the moment', async () => {
    let clock = 1_750_000_000_000;
    const sw = await startSwitchSimulator({ now: () => clock });
    sims.push(sw);
    clock += 12_340;
    sw.setLink(3, 'down');
    expect(await snmpValues(sw.port, [`${IF}.8.3`, `${IF}.9.3`, '1.3.6.1.2.1.1.3.0'])).toEqual([2, 1234, 1234]);
    sw.bounce(3); // same tick: ifLastChange still moves forward
    expect(await snmpValues(sw.port, [`${IF}.8.3`, `${IF}.9.3`])).toEqual([2, 1235]);
  });

  it('adds to error and octet counters and refuses ports it does not have', async () => {
    const sw = await startSwitchSimulator({ ports: 2 });
    sims.push(sw);
    sw.count(2, { inErrors: 4, outOctets: 100 });
    const [errors, octets] = await snmpGet(sw.port, [`${IF}.14.2`, `${IFX}.10.2`]);
    expect([errors?.value, octets?.value]).toEqual([4, counter64(4_000_100)]);
    expect(() => sw.setLink(9, 'down')).toThrow(RangeError);
  });
});
