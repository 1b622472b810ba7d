/**
 * IF-MIB for switches on the LED data network: system scalars, and one row per interface
 * from ifTable (1.3.6.1.2.1.2.2.1) joined with ifXTable (1.3.6.1.2.1.31.1.1.1) on ifIndex.
 * Rows become components named by ifName, else `if<index>`. Octet counters are the 64-bit
 * HC ones; counters are sent raw, the hub computes rates.
 */
import type { SnmpProfile } from './profile.js';

export const IF_TABLE_ENTRY = '1.3.6.1.2.1.2.2.1';
export const IF_X_TABLE_ENTRY = '1.3.6.1.2.1.31.1.1.1';

export const IF_OPER_STATUS = {
  '1': 'up',
  '2': 'down',
  '3': 'testing',
  '4': 'unknown',
  '5': 'dormant',
  '6': 'notPresent',
  '7': 'lowerLayerDown',
} as const;

export const IF_ADMIN_STATUS = { '1': 'up', '2': 'down', '3': 'testing' } as const;

export const IF_MIB: SnmpProfile = {
  name: 'if-mib',
  description: 'IF-MIB interfaces and system uptime of a network switch',
  scalars: [
    { oid: '1.3.6.1.2.1.1.1.0', metric: 'sysDescr', type: 'string', description: 'sysDescr: model and firmware' },
    { oid: '1.3.6.1.2.1.1.3.0', metric: 'uptimeS', type: 'timeticks', scale: 0.01, description: 'sysUpTime in seconds (timeticks are 1/100 s)' },
    { oid: '1.3.6.1.2.1.1.5.0', metric: 'sysName', type: 'string', description: 'sysName' },
  ],
  tables: [
    {
      name: 'interfaces',
      baseOid: IF_TABLE_ENTRY,
      index: 'ifIndex',
      component: { prefix: 'if', metric: 'name' },
      columns: [
        { column: 2, metric: 'descr', type: 'string', description: 'ifDescr' },
        { column: 7, metric: 'adminStatus', type: 'integer', states: IF_ADMIN_STATUS, description: 'ifAdminStatus' },
        { column: 8, metric: 'operStatus', type: 'integer', states: IF_OPER_STATUS, description: 'ifOperStatus' },
        { column: 9, metric: 'lastChangeS', type: 'timeticks', scale: 0.01, description: 'ifLastChange: sysUpTime at the last status change, s' },
        { column: 14, metric: 'inErrors', type: 'counter', description: 'ifInErrors' },
        { column: 20, metric: 'outErrors', type: 'counter', description: 'ifOutErrors' },
        { column: 1, baseOid: IF_X_TABLE_ENTRY, metric: 'name', type: 'string', description: 'ifName' },
        { column: 6, baseOid: IF_X_TABLE_ENTRY, metric: 'inOctets', type: 'counter64', description: 'ifHCInOctets' },
        { column: 10, baseOid: IF_X_TABLE_ENTRY, metric: 'outOctets', type: 'counter64', description: 'ifHCOutOctets' },
        { column: 15, baseOid: IF_X_TABLE_ENTRY, metric: 'speedMbps', type: 'gauge', description: 'ifHighSpeed, Mbit/s' },
        { column: 18, baseOid: IF_X_TABLE_ENTRY, metric: 'alias', type: 'string', description: 'ifAlias: the port label an admin set' },
      ],
    },
  ],
};
