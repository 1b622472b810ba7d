/**
 * SNMP profiles: which OIDs to get or walk and how each value becomes a metric. Profiles
 * are data (UPS_MIB, IF_MIB, or a site's own); the only code a profile may carry is
 * `derive`, for metrics computed from others (a UPS is on battery when …).
 */
import type { MetricValue } from '../contract/payloads.js';
import { SnmpError } from './errors.js';
import { isOid } from './oid.js';

/** Same rule as metric names in the MQTT contract's `Reading`. */
export const METRIC_PATTERN = '^[A-Za-z][A-Za-z0-9_.]{0,63}$';
const METRIC = new RegExp(METRIC_PATTERN);

export type SnmpValueType = 'integer' | 'gauge' | 'counter' | 'counter64' | 'string' | 'timeticks';

export interface ValueDef {
  readonly metric: string;
  readonly type: SnmpValueType;
  /** Multiplier for numbers (0.1 for tenths, 0.01 to turn timeticks into seconds). */
  readonly scale?: number;
  /** Raw integer → state name; makes a string metric. */
  readonly states?: Readonly<Record<string, string>>;
  readonly description?: string;
}

export interface ScalarDef extends ValueDef {
  /** Full OID including the `.0` instance. */
  readonly oid: string;
}

export interface ColumnDef extends ValueDef {
  /** Column number under the table's entry OID (ifOperStatus is column 8 of ifEntry). */
  readonly column: number;
  /** Entry OID of another table indexed the same way (ifXEntry next to ifEntry). */
  readonly baseOid?: string;
}

export interface TableDef {
  readonly name: string;
  /** The entry OID: a row's column value is at `<baseOid>.<column>.<index>`. */
  readonly baseOid: string;
  /** What the index is, for people: `ifIndex`, `upsInputLineIndex`. */
  readonly index: string;
  /** Component name of a row in readings: the row's `metric` value when set, else `<prefix><index>`. */
  readonly component: { readonly prefix: string; readonly metric?: string };
  readonly columns: readonly ColumnDef[];
}

export interface SnmpProfile {
  readonly name: string;
  readonly description?: string;
  readonly scalars: readonly ScalarDef[];
  readonly tables?: readonly TableDef[];
  /** Metrics computed from the decoded scalars, added to them. */
  readonly derive?: (metrics: Readonly<Record<string, MetricValue>>) => Record<string, MetricValue>;
}

/** The OIDs to GET for the profile's scalars. */
export function scalarOids(profile: SnmpProfile): string[] {
  return profile.scalars.map((s) => s.oid);
}

/** The column OIDs to walk for a table (`<baseOid>.<column>` each), in profile order. */
export function tableColumnOids(table: TableDef): string[] {
  return table.columns.map((c) => `${c.baseOid ?? table.baseOid}.${c.column}`);
}

/** Throws `invalid-profile` listing every problem: bad OIDs, metric names, duplicates, states keys. */
export function validateSnmpProfile(profile: SnmpProfile): SnmpProfile {
  const problems: string[] = [];
  const checkValue = (v: ValueDef, at: string, seen: Map<string, string>) => {
    if (!METRIC.test(v.metric)) problems.push(`${at}/metric: "${v.metric}" is not a valid metric name`);
    const first = seen.get(v.metric);
    if (first !== undefined) problems.push(`${at}/metric: duplicate metric "${v.metric}" (also ${first})`);
    else seen.set(v.metric, at);
    for (const key of Object.keys(v.states ?? {})) {
      if (!/^(0|-?[1-9][0-9]*)$/.test(key)) problems.push(`${at}/states/${key}: a state key is a raw integer value`);
    }
    if (v.scale === 0) problems.push(`${at}/scale: 0 makes every value 0`);
  };
  const scalarMetrics = new Map<string, string>();
  profile.scalars.forEach((s, i) => {
    if (!isOid(s.oid)) problems.push(`/scalars/${i}/oid: not a numeric OID: "${s.oid}"`);
    checkValue(s, `/scalars/${i}`, scalarMetrics);
  });
  (profile.tables ?? []).forEach((t, i) => {
    if (!isOid(t.baseOid)) problems.push(`/tables/${i}/baseOid: not a numeric OID: "${t.baseOid}"`);
    const columnMetrics = new Map<string, string>();
    t.columns.forEach((c, j) => {
      const at = `/tables/${i}/columns/${j}`;
      if (!Number.isInteger(c.column) || c.column < 1) problems.push(`${at}/column: must be a positive integer`);
      if (c.baseOid !== undefined && !isOid(c.baseOid)) problems.push(`${at}/baseOid: not a numeric OID: "${c.baseOid}"`);
      checkValue(c, at, columnMetrics);
    });
    if (t.component.metric !== undefined && !columnMetrics.has(t.component.metric)) {
      problems.push(`/tables/${i}/component/metric: no column has metric "${t.component.metric}"`);
    }
  });
  if (problems.length === 0) return profile;
  throw new SnmpError(
    'invalid-profile',
    `SNMP profile "${profile.name}" is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    'fix each listed path in the profile',
    problems,
  );
}
