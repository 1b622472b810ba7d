/**
 * Telemetry points as InfluxDB line protocol, byte for byte what `Point` from
 * @influxdata/influxdb-client writes (a property test holds them equal), but about four
 * times faster: no object per point, tags in a fixed order, escaping only when needed.
 *
 * One measurement, `reading`; tags customer, site, agent, device, component (omitted for
 * the device itself: InfluxDB has no empty tag values); fields = the metrics, numbers as
 * floats (so 1 then 1.5 never conflict), booleans, strings, plus `_state`.
 *
 * Two things line protocol cannot carry are mapped reversibly:
 * - tag values: `%`, `\` and control characters become `%XX` (a trailing backslash would
 *   escape the separator; `\n` would come back as the two characters `\n`);
 * - field keys: metric names never start with `_` (contract), so `_state` is ours, and a
 *   metric named `time` (refused by InfluxDB) or like a tag key is written as `_<name>`.
 */
import type { MetricValue, TelemetryPoint } from './store.js';

export const MEASUREMENT = 'reading';
export const TAGS = { customer: 'customer', site: 'site', agent: 'agent', device: 'device', component: 'component' } as const;
export const STATE_FIELD = '_state';

const RESERVED_FIELDS = new Set<string>(['time', ...Object.values(TAGS)]);

// Point's escapers: tag keys, tag values and field keys; quoted string field values.
const TAG_SPECIAL = /[, =\n\r\t]/;
const TAG_ESCAPES: Record<string, string> = { ',': '\\,', ' ': '\\ ', '=': '\\=', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeTag = (s: string) => (TAG_SPECIAL.test(s) ? s.replace(/[, =\n\r\t]/g, (c) => TAG_ESCAPES[c] ?? c) : s);
const quote = (s: string) => `"${s.includes('"') || s.includes('\\') ? s.replace(/["\\]/g, (c) => `\\${c}`) : s}"`;

export function encodeTagValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[%\\\u0000-\u001f\u007f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function decodeTagValue(value: string): string {
  return value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export function fieldKey(metric: string): string {
  return RESERVED_FIELDS.has(metric) ? `_${metric}` : metric;
}

/** The metric name of a field key, or undefined for `_state`. */
export function metricOf(field: string): string | undefined {
  if (field === STATE_FIELD) return undefined;
  return field.startsWith('_') && RESERVED_FIELDS.has(field.slice(1)) ? field.slice(1) : field;
}

function fieldValue(key: string, value: MetricValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`invalid float value for field '${key}': ${value}`);
    return String(value); // a float: 1 then 1.5 never conflict
  }
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  return quote(value);
}

/**
 * One line of line protocol with a ms timestamp (for `precision=ms`), or undefined when the
 * point has neither metrics nor state. Throws on a number InfluxDB cannot store.
 */
export function toLine(p: TelemetryPoint): string | undefined {
  const fields: [string, string][] = [];
  for (const name in p.metrics) {
    const key = fieldKey(name);
    fields.push([key, fieldValue(key, p.metrics[name] as MetricValue)]);
  }
  if (p.state !== undefined) fields.push([STATE_FIELD, quote(p.state)]);
  if (fields.length === 0) return undefined;
  fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let line = MEASUREMENT;
  // Tag keys in sorted order, as Point writes them; empty values are left out.
  for (const [key, value] of [
    [TAGS.agent, p.agentId],
    [TAGS.component, p.component],
    [TAGS.customer, p.customerId],
    [TAGS.device, p.deviceId],
    [TAGS.site, p.siteId],
  ] as const) {
    if (value !== '') line += `,${key}=${escapeTag(encodeTagValue(value))}`;
  }
  let sep = ' ';
  for (const [key, value] of fields) {
    line += `${sep}${escapeTag(key)}=${value}`;
    sep = ',';
  }
  return `${line} ${p.at}`;
}
