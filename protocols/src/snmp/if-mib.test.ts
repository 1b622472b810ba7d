import { describe, expect, it } from 'vitest';
import { validatePayload } from '../contract/codec.js';
import { decodeScalars, decodeTable, rowComponent } from './decode.js';
import { tableColumnOids, validateSnmpProfile } from './profile.js';
import { IF_MIB } from './if-mib.js';
import type { Varbind } from './varbind.js';

const interfaces = IF_MIB.tables?.[0];
if (interfaces === undefined) throw new Error('IF_MIB has no interfaces table');

/** Counter64 as net-snmp returns it: a Buffer of big-endian bytes. */
const c64 = (n: bigint) => Buffer.from(n.toString(16).padStart(16, '0'), 'hex');

// Walks of ifTable and ifXTable columns of a two-port switch, as net-snmp returns them.
const WALK: Varbind[] = [
  { oid: '1.3.6.1.2.1.2.2.1.2.1', type: 4, value: Buffer.from('GigabitEthernet1/0/1') }, // ifDescr.1
  { oid: '1.3.6.1.2.1.2.2.1.2.2', type: 4, value: Buffer.from('GigabitEthernet1/0/2') }, // ifDescr.2
  { oid: '1.3.6.1.2.1.2.2.1.7.1', type: 2, value: 1 }, // ifAdminStatus.1: up
  { oid: '1.3.6.1.2.1.2.2.1.7.2', type: 2, value: 1 }, // ifAdminStatus.2: up
  { oid: '1.3.6.1.2.1.2.2.1.8.1', type: 2, value: 1 }, // ifOperStatus.1: up
  { oid: '1.3.6.1.2.1.2.2.1.8.2', type: 2, value: 7 }, // ifOperStatus.2: lowerLayerDown
  { oid: '1.3.6.1.2.1.2.2.1.9.1', type: 67, value: 4_512 }, // ifLastChange.1: 45.12 s
  { oid: '1.3.6.1.2.1.2.2.1.9.2', type: 67, value: 8_640_033 }, // ifLastChange.2: 86400.33 s
  { oid: '1.3.6.1.2.1.2.2.1.14.1', type: 65, value: 0 }, // ifInErrors.1
  { oid: '1.3.6.1.2.1.2.2.1.14.2', type: 65, value: 1_207 }, // ifInErrors.2: a bad cable
  { oid: '1.3.6.1.2.1.2.2.1.20.1', type: 65, value: 0 }, // ifOutErrors.1
  { oid: '1.3.6.1.2.1.2.2.1.20.2', type: 65, value: 3 }, // ifOutErrors.2
  { oid: '1.3.6.1.2.1.31.1.1.1.1.1', type: 4, value: Buffer.from('Gi1/0/1') }, // ifName.1
  { oid: '1.3.6.1.2.1.31.1.1.1.1.2', type: 4, value: Buffer.from('') }, // ifName.2: empty
  { oid: '1.3.6.1.2.1.31.1.1.1.6.1', type: 70, value: c64(9_876_543_210_123n) }, // ifHCInOctets.1
  { oid: '1.3.6.1.2.1.31.1.1.1.6.2', type: 70, value: c64(0n) }, // ifHCInOctets.2
  { oid: '1.3.6.1.2.1.31.1.1.1.10.1', type: 70, value: Buffer.from([0x01, 0x00, 0x00, 0x00, 0x00]) }, // ifHCOutOctets.1: 2^32, short Buffer
  { oid: '1.3.6.1.2.1.31.1.1.1.10.2', type: 70, value: 5n }, // ifHCOutOctets.2 as bigint
  { oid: '1.3.6.1.2.1.31.1.1.1.15.1', type: 66, value: 1000 }, // ifHighSpeed.1: 1 Gbit/s
  { oid: '1.3.6.1.2.1.31.1.1.1.18.1', type: 4, value: Buffer.from('LED wall sender 1') }, // ifAlias.1
  { oid: '1.3.6.1.2.1.31.1.1.1.19.1', type: 2, value: 0 }, // ifCounterDiscontinuityTime: past the columns, ignored
  { oid: '1.3.6.1.2.1.31.1.1.1.18.2', type: 130, value: null }, // endOfMibView
];

describe('IF_MIB interfaces', () => {
  it('walks the ifTable and ifXTable columns it needs, not whole tables', () => {
    const oids = tableColumnOids(interfaces);
    expect(oids).toContain('1.3.6.1.2.1.2.2.1.8');
    expect(oids).toContain('1.3.6.1.2.1.31.1.1.1.6');
    expect(oids).toHaveLength(11);
  });

  it('joins ifTable and ifXTable into one row per ifIndex', () => {
    const { rows, invalid } = decodeTable(interfaces, WALK);
    expect(invalid).toEqual([]);
    expect(rows.get('1')).toEqual({
      descr: 'GigabitEthernet1/0/1',
      adminStatus: 'up',
      operStatus: 'up',
      lastChangeS: 45.12,
      inErrors: 0,
      outErrors: 0,
      name: 'Gi1/0/1',
      inOctets: 9876543210123,
      outOctets: 4294967296,
      speedMbps: 1000,
      alias: 'LED wall sender 1',
    });
    expect(rows.get('2')).toMatchObject({ operStatus: 'lowerLayerDown', lastChangeS: 86400.33, inErrors: 1207, inOctets: 0, outOctets: 5 });
  });

  it('names each row by ifName, else if<index>', () => {
    const { rows } = decodeTable(interfaces, WALK);
    expect([...rows].map(([index, metrics]) => rowComponent(interfaces, index, metrics))).toEqual(['Gi1/0/1', 'if2']);
  });

  it('becomes one reading per interface that the MQTT contract accepts', () => {
    const { rows } = decodeTable(interfaces, WALK);
    const readings = [...rows].map(([index, metrics]) => ({ device: 'sw-1', component: rowComponent(interfaces, index, metrics), at: 1_750_000_000_000, metrics }));
    const payload = { seq: 7, readings };
    expect(validatePayload('telemetry', payload)).toBe(payload);
  });

  it('orders rows by ifIndex numerically', () => {
    const walk: Varbind[] = [10, 9, 100].map((i) => ({ oid: `1.3.6.1.2.1.2.2.1.8.${i}`, type: 2, value: 1 }));
    expect([...decodeTable(interfaces, walk).rows.keys()]).toEqual(['9', '10', '100']);
  });

  it('reports a Counter64 that is not a number as invalid, naming the OID', () => {
    const { invalid, rows } = decodeTable(interfaces, [{ oid: '1.3.6.1.2.1.31.1.1.1.6.4', type: 70, value: { high: 1, low: 2 } }]);
    expect(invalid).toEqual([{ oid: '1.3.6.1.2.1.31.1.1.1.6.4', metric: 'inOctets', reason: 'expected a number (counter64), got object' }]);
    expect(rows.size).toBe(0);
  });
});

describe('IF_MIB system scalars', () => {
  it('decodes sysUpTime timeticks to seconds, and the system description and name', () => {
    const { metrics, missing } = decodeScalars(IF_MIB, [
      { oid: '1.3.6.1.2.1.1.1.0', type: 4, value: Buffer.from('Cisco IOS Software, C2960X') }, // sysDescr
      { oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 123_456_789 }, // sysUpTime: 14 days 6 h
      { oid: '1.3.6.1.2.1.1.5.0', type: 4, value: Buffer.from('sw-led-01') }, // sysName
    ]);
    expect(metrics).toEqual({ sysDescr: 'Cisco IOS Software, C2960X', uptimeS: 1234567.89, sysName: 'sw-led-01' });
    expect(missing).toEqual([]);
  });

  it('cuts text longer than the contract allows to 256 characters', () => {
    const { metrics } = decodeScalars(IF_MIB, [{ oid: '1.3.6.1.2.1.1.1.0', type: 4, value: Buffer.from('x'.repeat(1000)) }]);
    expect(metrics.sysDescr).toHaveLength(256);
  });

  it('passes profile validation', () => {
    expect(validateSnmpProfile(IF_MIB)).toBe(IF_MIB);
  });
});
