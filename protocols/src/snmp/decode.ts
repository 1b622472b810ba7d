/**
 * Varbinds → metrics, as a profile says. Scalars come from a GET, table rows from a walk
 * of the table's columns. Nothing throws: an OID the agent does not have (noSuchObject,
 * noSuchInstance, or left out of the answer) is listed in `missing`, a value that does not
 * fit its type in `invalid`, and the other metrics are decoded.
 */
import type { MetricValue } from '../contract/payloads.js';
import { compareOids, normalizeOid, oidSuffix } from './oid.js';
import type { SnmpProfile, TableDef, ValueDef } from './profile.js';
import { OBJECT_TYPE, isAbsent, toNumber, toText, type Varbind } from './varbind.js';

/** Longest string metric the MQTT contract accepts. */
export const MAX_TEXT = 256;

export interface Invalid {
  readonly oid: string;
  readonly metric: string;
  readonly reason: string;
}

export interface ScalarResult {
  readonly metrics: Record<string, MetricValue>;
  /** OIDs of the profile the agent did not have. */
  readonly missing: string[];
  readonly invalid: Invalid[];
}

export interface TableResult {
  /** Row index (the OID suffix, e.g. `3` for ifIndex 3) → metrics, in walk order. */
  readonly rows: Map<string, Record<string, MetricValue>>;
  readonly invalid: Invalid[];
}

export function decodeScalars(profile: SnmpProfile, varbinds: readonly Varbind[]): ScalarResult {
  const byOid = new Map(varbinds.map((vb) => [normalizeOid(vb.oid), vb]));
  const result: ScalarResult = { metrics: {}, missing: [], invalid: [] };
  for (const def of profile.scalars) {
    const vb = byOid.get(normalizeOid(def.oid));
    if (vb === undefined || isAbsent(vb)) {
      result.missing.push(def.oid);
      continue;
    }
    const decoded = decodeValue(def, vb);
    if (typeof decoded === 'object') result.invalid.push({ oid: def.oid, metric: def.metric, reason: decoded.reason });
    else result.metrics[def.metric] = decoded;
  }
  if (profile.derive) Object.assign(result.metrics, profile.derive(result.metrics));
  return result;
}

export function decodeTable(table: TableDef, varbinds: readonly Varbind[]): TableResult {
  const columns = table.columns.map((c) => ({ def: c, base: `${normalizeOid(c.baseOid ?? table.baseOid)}.${c.column}` }));
  const cells: { index: string; metric: string; value: MetricValue }[] = [];
  const invalid: Invalid[] = [];
  for (const vb of varbinds) {
    if (isAbsent(vb)) continue;
    for (const { def, base } of columns) {
      const index = oidSuffix(vb.oid, base);
      if (index === undefined) continue;
      const decoded = decodeValue(def, vb);
      if (typeof decoded === 'object') invalid.push({ oid: normalizeOid(vb.oid), metric: def.metric, reason: decoded.reason });
      else cells.push({ index, metric: def.metric, value: decoded });
    }
  }
  const rows = new Map<string, Record<string, MetricValue>>();
  for (const index of [...new Set(cells.map((c) => c.index))].sort(compareOids)) rows.set(index, {});
  for (const cell of cells) (rows.get(cell.index) as Record<string, MetricValue>)[cell.metric] = cell.value;
  return { rows, invalid };
}

/** The component name of a table row in readings: e.g. the interface's ifName, else `if<index>`. */
export function rowComponent(table: TableDef, index: string, metrics: Readonly<Record<string, MetricValue>>): string {
  const named = table.component.metric === undefined ? undefined : metrics[table.component.metric];
  return typeof named === 'string' && named !== '' ? named : `${table.component.prefix}${index}`;
}

/** One value as its definition says, or the reason it cannot be. */
export function decodeValue(def: ValueDef, vb: Varbind): MetricValue | { reason: string } {
  if (def.type === 'string') {
    const text = toText(vb.value);
    return text === undefined ? { reason: `expected text, got ${describe(vb.value)}` } : text.slice(0, MAX_TEXT);
  }
  // Some agents send numbers as text in an OctetString; its bytes are not a binary integer.
  const raw = vb.type === OBJECT_TYPE.OctetString ? toText(vb.value) : vb.value;
  const n = toNumber(raw);
  if (n === undefined) return { reason: `expected a number (${def.type}), got ${describe(raw)}` };
  if (def.states) return def.states[String(n)] ?? `unknown(${n})`;
  return scale(n, def.scale ?? 1);
}

function scale(n: number, factor: number): number {
  if (factor === 1) return n;
  const [mantissa = '', exponent = '0'] = String(factor).split('e');
  const places = Math.min(12, Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent)));
  return Number((n * factor).toFixed(places));
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}
