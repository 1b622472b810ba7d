/**
 * A small switch on a loopback UDP port: net-snmp's agent serving the system group and
 * IF-MIB's ifTable and ifXTable for a few ports, so link flaps, error counters and 64-bit
 * octet counters can be driven from a test. A status change sets ifLastChange to the
 * current sysUpTime, as a real agent does; `bounce` is a drop-and-return between two
 * polls (the status is the same afterwards, only ifLastChange moved).
 */
import { netSnmp, type MibColumn } from '../../drivers/snmp/net-snmp.js';
import { startSnmpAgentHost, type SnmpAgentHostOptions } from './agent-host.js';

export interface SwitchSimulatorOptions extends SnmpAgentHostOptions {
  /** Number of ports, ifIndex 1..n, named eth1..ethN; default 4. */
  ports?: number;
  sysName?: string;
  /** Clock in ms for sysUpTime and ifLastChange; default Date.now. */
  now?: () => number;
}

export type LinkStatus = 'up' | 'down';

export interface PortCounters {
  inOctets?: number;
  outOctets?: number;
  inErrors?: number;
  outErrors?: number;
}

export interface SwitchSimulator {
  readonly host: string;
  readonly port: number;
  setLink(ifIndex: number, status: LinkStatus): void;
  setAdmin(ifIndex: number, status: LinkStatus): void;
  /** The link drops and comes back before anyone polls: ifLastChange moves, status does not. */
  bounce(ifIndex: number): void;
  /** Adds to the port's counters. */
  count(ifIndex: number, add: PortCounters): void;
  setSilent(silent: boolean): void;
  close(): Promise<void>;
}

const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IFX_ENTRY = '1.3.6.1.2.1.31.1.1.1';
const STATUS = { up: 1, down: 2 } as const;

/** An unsigned 64-bit counter as net-snmp's agent wants it: 8 big-endian bytes. */
export function counter64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(n))));
  return b;
}

export async function startSwitchSimulator(options: SwitchSimulatorOptions = {}): Promise<SwitchSimulator> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const uptime = (): number => Math.floor((now() - startedAt) / 10);
  const host = await startSnmpAgentHost(options);
  const { mib } = host;
  const { Integer, OctetString, TimeTicks, Counter, Gauge, Counter64 } = netSnmp.ObjectType;
  const ro = netSnmp.MaxAccess['read-only'];
  const col = (number: number, name: string, type: number, maxAccess = ro): MibColumn => ({ number, name, type, maxAccess });

  const scalar = (name: string, oid: string, scalarType: number, handler?: () => unknown): void => {
    mib.registerProvider({
      name,
      type: netSnmp.MibProviderType.Scalar,
      oid,
      scalarType,
      maxAccess: ro,
      ...(handler && { handler: (request) => ((request.instanceNode.value = handler()), request.done()) }),
    });
  };
  scalar('sysDescr', '1.3.6.1.2.1.1.1', OctetString);
  scalar('sysUpTime', '1.3.6.1.2.1.1.3', TimeTicks, uptime);
  scalar('sysName', '1.3.6.1.2.1.1.5', OctetString);
  mib.setScalarValue('sysDescr', 'ledwatch switch simulator, firmware 1.0');
  mib.setScalarValue('sysUpTime', 0);
  mib.setScalarValue('sysName', options.sysName ?? 'sw-sim');

  const table = (name: string, oid: string, tableColumns: MibColumn[], index: { columnName: string; foreign?: string }): void => {
    mib.registerProvider({ name, type: netSnmp.MibProviderType.Table, oid, maxAccess: netSnmp.MaxAccess['not-accessible'], tableColumns, tableIndex: [index] });
  };
  table(
    'ifTable',
    IF_ENTRY,
    [col(1, 'ifIndex', Integer), col(2, 'ifDescr', OctetString), col(7, 'ifAdminStatus', Integer), col(8, 'ifOperStatus', Integer), col(9, 'ifLastChange', TimeTicks), col(14, 'ifInErrors', Counter), col(20, 'ifOutErrors', Counter)],
    { columnName: 'ifIndex' },
  );
  table(
    'ifXTable',
    IFX_ENTRY,
    [col(1, 'ifName', OctetString), col(6, 'ifHCInOctets', Counter64), col(10, 'ifHCOutOctets', Counter64), col(15, 'ifHighSpeed', Gauge), col(18, 'ifAlias', OctetString)],
    { columnName: 'ifIndex', foreign: 'ifTable' },
  );

  const counters = new Map<number, Required<PortCounters>>();
  for (let i = 1; i <= (options.ports ?? 4); i++) {
    // Port 1 has passed 2^32 octets, so only a 64-bit counter holds it.
    const c = { inOctets: i === 1 ? 5_000_000_000 : i * 1_000_000, outOctets: i * 2_000_000, inErrors: 0, outErrors: 0 };
    counters.set(i, c);
    mib.addTableRow('ifTable', [i, `Ethernet port ${i}`, STATUS.up, STATUS.up, 0, c.inErrors, c.outErrors]);
    mib.addTableRow('ifXTable', [i, `eth${i}`, counter64(c.inOctets), counter64(c.outOctets), 1000, i === 1 ? 'LED wall uplink' : '']);
  }
  const lastChange = new Map<number, number>();
  const changed = (ifIndex: number): void => {
    const t = Math.max(uptime(), (lastChange.get(ifIndex) ?? 0) + 1);
    lastChange.set(ifIndex, t);
    mib.setTableSingleCell('ifTable', 9, [ifIndex], t);
  };
  const known = (ifIndex: number): Required<PortCounters> => {
    const c = counters.get(ifIndex);
    if (c === undefined) throw new RangeError(`switch simulator has no ifIndex ${ifIndex}`);
    return c;
  };

  return {
    host: options.host ?? '127.0.0.1',
    port: host.port,
    setLink(ifIndex, status) {
      known(ifIndex);
      mib.setTableSingleCell('ifTable', 8, [ifIndex], STATUS[status]);
      changed(ifIndex);
    },
    setAdmin(ifIndex, status) {
      known(ifIndex);
      mib.setTableSingleCell('ifTable', 7, [ifIndex], STATUS[status]);
    },
    bounce(ifIndex) {
      known(ifIndex);
      changed(ifIndex);
    },
    count(ifIndex, add) {
      const c = known(ifIndex);
      for (const key of ['inOctets', 'outOctets', 'inErrors', 'outErrors'] as const) c[key] += add[key] ?? 0;
      mib.setTableSingleCell('ifTable', 14, [ifIndex], c.inErrors);
      mib.setTableSingleCell('ifTable', 20, [ifIndex], c.outErrors);
      mib.setTableSingleCell('ifXTable', 6, [ifIndex], counter64(c.inOctets));
      mib.setTableSingleCell('ifXTable', 10, [ifIndex], counter64(c.outOctets));
    },
    setSilent: (silent) => host.setSilent(silent),
    close: () => host.close(),
  };
}
