/**
 * InfluxQL of the InfluxDB store: the statements it sends and how their answers become
 * LatestReading and SeriesValue. Every window of a range query is computed at query time
 * (`GROUP BY time(every)` over the raw points); see README.md for why.
 */
import type { InfluxSeries } from './influx-http.js';
import { quoteIdent, quoteString } from './influx-http.js';
import { MEASUREMENT, TAGS, decodeTagValue, encodeTagValue, fieldKey, metricOf } from './line-protocol.js';
import type { AggregateFn, LatestQuery, LatestReading, MetricValue, RangeQuery, SeriesValue } from './store.js';
import { windowStarts } from './store.js';

const tagIs = (tag: string, value: string) => `${quoteIdent(tag)}::tag = ${quoteString(encodeTagValue(value))}`;

function from(retentionPolicy: string): string {
  return `${quoteIdent(retentionPolicy)}.${quoteIdent(MEASUREMENT)}`;
}

export function latestStatement(rp: string, q: LatestQuery): string {
  const where = [tagIs(TAGS.agent, q.agentId), tagIs(TAGS.device, q.deviceId)];
  if (q.component !== undefined) where.push(tagIs(TAGS.component, q.component));
  return `SELECT *::field FROM ${from(rp)} WHERE ${where.join(' AND ')} GROUP BY ${quoteIdent(TAGS.component)} ORDER BY time DESC LIMIT 1`;
}

export function latestFromSeries(series: readonly InfluxSeries[]): LatestReading[] {
  const out: LatestReading[] = [];
  for (const s of series) {
    const row = s.values[0];
    if (row === undefined) continue;
    const reading: LatestReading = { component: decodeTagValue(s.tags?.[TAGS.component] ?? ''), at: row[0] as number, metrics: {} };
    s.columns.forEach((col, i) => {
      const v = row[i];
      if (i === 0 || v === null || v === undefined) return;
      const metric = metricOf(col);
      if (metric === undefined) reading.state = v as string;
      else reading.metrics[metric] = v as MetricValue;
    });
    if (Object.keys(reading.metrics).length > 0 || reading.state !== undefined) out.push(reading);
  }
  return out.sort((a, b) => a.component.localeCompare(b.component));
}

export function rangeStatement(rp: string, q: RangeQuery): string {
  const where = [
    tagIs(TAGS.agent, q.agentId),
    tagIs(TAGS.device, q.deviceId),
    tagIs(TAGS.component, q.component ?? ''),
    `time >= ${q.from}ms`,
    `time < ${q.to}ms`,
  ].join(' AND ');
  const field = quoteIdent(fieldKey(q.metric));
  if (q.every === undefined) return `SELECT ${field} FROM ${from(rp)} WHERE ${where}`;
  return `SELECT ${q.fn ?? 'mean'}(${field}) FROM ${from(rp)} WHERE ${where} GROUP BY time(${q.every}ms) fill(null)`;
}

/** Raw rows as values; windows mapped onto the shared window starts (so both stores agree). */
export function rangeFromSeries(series: readonly InfluxSeries[], q: RangeQuery): SeriesValue[] {
  const rows = series.flatMap((s) => s.values);
  if (q.every === undefined) {
    return rows.filter((r) => r[1] !== null && r[1] !== undefined).map((r) => ({ t: r[0] as number, v: r[1] as MetricValue }));
  }
  const byTime = new Map<number, unknown>(rows.map((r) => [r[0] as number, r[1]]));
  const fn = q.fn ?? 'mean';
  return windowStarts(q.from, q.to, q.every).map((t) => ({ t, v: windowValue(fn, byTime.get(t)) }));
}

function windowValue(fn: AggregateFn, v: unknown): MetricValue | null {
  if (fn === 'count') return typeof v === 'number' ? v : 0;
  if (v === null || v === undefined) return null;
  if (fn === 'last') return v as MetricValue;
  return typeof v === 'number' ? v : null; // min/max of booleans: numeric values only
}

/** InfluxDB refuses mean() of a boolean or string field: that is an all-null answer here. */
export function isUnsupportedType(message: string): boolean {
  return /unsupported \w+ (iterator )?type/i.test(message);
}
