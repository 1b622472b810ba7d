/**
 * A UPS network card on a loopback UDP port: net-snmp's agent serving the UPS-MIB (RFC
 * 1628) scalars, the input and output line tables (one line each) and the system group,
 * over v2c and, for the users given, v3. Faults are injected at run time; every request
 * reads the values as they are at that moment (seconds on battery keep counting).
 *
 *   const ups = await startUpsSimulator();
 *   ups.inject({ kind: 'ups-on-battery' });
 *   …
 *   await ups.close();
 */
import { netSnmp, type MibProvider } from '../../drivers/snmp/net-snmp.js';
import { startSnmpAgentHost, type SnmpAgentHostOptions } from './agent-host.js';
import { DEFAULT_UPS_VALUES, upsValuesAt, type UpsFault, type UpsValues } from './ups-model.js';

export interface UpsSimulatorOptions extends SnmpAgentHostOptions {
  /** Values instead of the defaults (a normal UPS on mains, 100 %, 45 min, 230 V). */
  values?: Partial<UpsValues>;
  /** Clock in ms, for faults that change over time; default Date.now. */
  now?: () => number;
}

export interface UpsSimulator {
  readonly host: string;
  readonly port: number;
  /** Changes the base values (faults apply on top). */
  set(values: Partial<UpsValues>): void;
  inject(fault: { kind: UpsFault }): void;
  /** Ends one fault, or all of them. */
  clear(kind?: UpsFault): void;
  /** The values the UPS reports now. */
  values(): UpsValues;
  close(): Promise<void>;
}

const UPS = '1.3.6.1.2.1.33.1';
const SYSTEM = '1.3.6.1.2.1.1';

type ScalarName = keyof UpsValues | 'sysDescr' | 'sysUpTime' | 'sysName' | 'upsInputNumLines' | 'upsOutputNumLines';
type TypeName = keyof typeof netSnmp.ObjectType;

/** Scalar → OID (without `.0`) and SMI type. */
const SCALARS: readonly [ScalarName, string, TypeName][] = [
  ['sysDescr', `${SYSTEM}.1`, 'OctetString'],
  ['sysUpTime', `${SYSTEM}.3`, 'TimeTicks'],
  ['sysName', `${SYSTEM}.5`, 'OctetString'],
  ['upsIdentManufacturer', `${UPS}.1.1`, 'OctetString'],
  ['upsIdentModel', `${UPS}.1.2`, 'OctetString'],
  ['upsIdentUPSSoftwareVersion', `${UPS}.1.3`, 'OctetString'],
  ['upsIdentAgentSoftwareVersion', `${UPS}.1.4`, 'OctetString'],
  ['upsIdentName', `${UPS}.1.5`, 'OctetString'],
  ['upsBatteryStatus', `${UPS}.2.1`, 'Integer'],
  ['upsSecondsOnBattery', `${UPS}.2.2`, 'Integer'],
  ['upsEstimatedMinutesRemaining', `${UPS}.2.3`, 'Integer'],
  ['upsEstimatedChargeRemaining', `${UPS}.2.4`, 'Integer'],
  ['upsBatteryVoltage', `${UPS}.2.5`, 'Integer'],
  ['upsBatteryTemperature', `${UPS}.2.7`, 'Integer'],
  ['upsInputLineBads', `${UPS}.3.1`, 'Counter'],
  ['upsInputNumLines', `${UPS}.3.2`, 'Integer'],
  ['upsOutputSource', `${UPS}.4.1`, 'Integer'],
  ['upsOutputFrequency', `${UPS}.4.2`, 'Integer'],
  ['upsOutputNumLines', `${UPS}.4.3`, 'Integer'],
  ['upsAlarmsPresent', `${UPS}.6.1`, 'Gauge'],
];

/** Line tables: provider name, entry OID, columns after the index column 1. */
const TABLES: readonly [string, string, (keyof UpsValues)[]][] = [
  ['upsInputTable', `${UPS}.3.3.1`, ['upsInputFrequency', 'upsInputVoltage']],
  ['upsOutputTable', `${UPS}.4.4.1`, ['upsOutputVoltage', 'upsOutputCurrent', 'upsOutputPower', 'upsOutputPercentLoad']],
];

export async function startUpsSimulator(options: UpsSimulatorOptions = {}): Promise<UpsSimulator> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const host = await startSnmpAgentHost(options);
  const { mib } = host;
  let base: UpsValues = { ...DEFAULT_UPS_VALUES, ...options.values };
  const faults = new Map<UpsFault, number>();
  const values = (): UpsValues => upsValuesAt(base, faults, now());

  const refresh = (): void => {
    const v = values();
    const all: Record<ScalarName, unknown> = {
      ...v,
      sysDescr: `${v.upsIdentManufacturer} ${v.upsIdentModel} (ledwatch UPS simulator)`,
      sysUpTime: Math.floor((now() - startedAt) / 10),
      sysName: v.upsIdentName,
      upsInputNumLines: 1,
      upsOutputNumLines: 1,
    };
    for (const [name] of SCALARS) mib.setScalarValue(name, all[name]);
    for (const [table, , columns] of TABLES) columns.forEach((c, i) => mib.setTableSingleCell(table, i + 2, [1], v[c]));
  };
  const handler: MibProvider['handler'] = (request) => {
    refresh();
    request.done();
  };
  const readOnly = netSnmp.MaxAccess['read-only'];
  for (const [name, oid, type] of SCALARS) {
    mib.registerProvider({ name, type: netSnmp.MibProviderType.Scalar, oid, scalarType: netSnmp.ObjectType[type], maxAccess: readOnly, handler });
  }
  for (const [name, oid, columns] of TABLES) {
    mib.registerProvider({
      name,
      type: netSnmp.MibProviderType.Table,
      oid,
      maxAccess: netSnmp.MaxAccess['not-accessible'],
      tableColumns: [
        { number: 1, name: `${name}Index`, type: netSnmp.ObjectType.Integer, maxAccess: netSnmp.MaxAccess['not-accessible'] },
        ...columns.map((c, i) => ({ number: i + 2, name: c, type: netSnmp.ObjectType.Integer, maxAccess: readOnly })),
      ],
      tableIndex: [{ columnName: `${name}Index` }],
      handler,
    });
    mib.addTableRow(name, [1, ...columns.map((c) => base[c])]);
  }
  refresh();

  return {
    host: options.host ?? '127.0.0.1',
    port: host.port,
    set(changes) {
      base = { ...base, ...changes };
    },
    inject({ kind }) {
      if (!faults.has(kind)) faults.set(kind, now());
      if (kind === 'ups-silent') host.setSilent(true);
    },
    clear(kind) {
      for (const k of kind === undefined ? [...faults.keys()] : [kind]) {
        faults.delete(k);
        if (k === 'ups-silent') host.setSilent(false);
      }
    },
    values,
    close: () => host.close(),
  };
}
