/**
 * Prepared statements of the embedded telemetry store. Values keep their SQLite storage
 * class: REAL = number, INTEGER = boolean (0/1), TEXT = string; numeric aggregates use
 * REAL values only. Window and bucket arithmetic binds BigInts so it stays integer.
 */
import type Database from 'better-sqlite3';
import type { AggregateFn } from './store.js';
import type { TableName } from './resolution.js';

export interface ValueRow {
  at: number;
  value: number | string | null;
  kind: 'real' | 'integer' | 'text' | 'null';
}

export interface SeriesRow {
  id: number;
  component: string;
  metric: string;
}

const NUM = `CASE WHEN typeof(value) = 'real' THEN value END`;

export function prepareStatements(db: Database.Database): TelemetryStatements {
  return {
    seriesId: db.prepare<[string, string, string, string], { id: number }>(
      'SELECT id FROM telemetry_series WHERE agent_id = ? AND device_id = ? AND component = ? AND metric = ?',
    ),
    insertSeries: db.prepare<[string, string, string, string, string, string], { id: number }>(
      `INSERT INTO telemetry_series (agent_id, device_id, component, metric, customer_id, site_id) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (agent_id, device_id, component, metric) DO UPDATE SET customer_id = excluded.customer_id, site_id = excluded.site_id
       RETURNING id`,
    ),
    upsertRaw: db.prepare<[number, number, number | bigint | string]>(
      'INSERT INTO telemetry_raw (series_id, at, value) VALUES (?, ?, ?) ON CONFLICT (series_id, at) DO UPDATE SET value = excluded.value',
    ),
    markDirty: db.prepare<[number, number]>(
      'INSERT INTO telemetry_dirty (series_id, from_at) VALUES (?, ?) ON CONFLICT (series_id) DO UPDATE SET from_at = min(from_at, excluded.from_at)',
    ),
    dirty: db.prepare<[], { series_id: number; from_at: number }>('SELECT series_id, from_at FROM telemetry_dirty'),
    clearDirty: db.prepare<[number]>('DELETE FROM telemetry_dirty WHERE series_id = ?'),
    deviceSeries: db.prepare<[string, string], SeriesRow>('SELECT id, component, metric FROM telemetry_series WHERE agent_id = ? AND device_id = ?'),
    allSeries: db.prepare<[], { id: number }>('SELECT id FROM telemetry_series ORDER BY id'),
    countSeries: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM telemetry_series'),
    lastValue: db.prepare<[number], ValueRow>('SELECT at, value, typeof(value) AS kind FROM telemetry_raw WHERE series_id = ? ORDER BY at DESC LIMIT 1'),
    rawRange: db.prepare<[number, number, number], ValueRow>(
      'SELECT at, value, typeof(value) AS kind FROM telemetry_raw WHERE series_id = ? AND at >= ? AND at < ? ORDER BY at',
    ),
    rollup1m: db.prepare<RollupParams>(
      `INSERT OR REPLACE INTO telemetry_1m (series_id, bucket, values_count, num_count, num_sum, num_min, num_max, last_value, last_at)
       SELECT g.series_id, g.bucket, g.c, g.n, g.s, g.lo, g.hi,
              (SELECT value FROM telemetry_raw r WHERE r.series_id = g.series_id AND r.at = g.last_at), g.last_at
       FROM (SELECT series_id, at / 60000 * 60000 AS bucket, count(*) AS c, count(${NUM}) AS n, sum(${NUM}) AS s,
                    min(${NUM}) AS lo, max(${NUM}) AS hi, max(at) AS last_at
             FROM telemetry_raw WHERE series_id = @id AND at >= @from GROUP BY bucket) g`,
    ),
    rollup1h: db.prepare<RollupParams>(
      `INSERT OR REPLACE INTO telemetry_1h (series_id, bucket, values_count, num_count, num_sum, num_min, num_max, last_value, last_at)
       SELECT g.series_id, g.bucket, g.c, g.n, g.s, g.lo, g.hi,
              (SELECT last_value FROM telemetry_1m m WHERE m.series_id = g.series_id AND m.bucket = g.last_at / 60000 * 60000), g.last_at
       FROM (SELECT series_id, bucket / 3600000 * 3600000 AS bucket, sum(values_count) AS c, sum(num_count) AS n, sum(num_sum) AS s,
                    min(num_min) AS lo, max(num_max) AS hi, max(last_at) AS last_at
             FROM telemetry_1m WHERE series_id = @id AND bucket >= @from GROUP BY 2) g`,
    ),
    prune: {
      telemetry_raw: db.prepare<[number, number]>('DELETE FROM telemetry_raw WHERE series_id = ? AND at < ?'),
      telemetry_1m: db.prepare<[number, number]>('DELETE FROM telemetry_1m WHERE series_id = ? AND bucket < ?'),
      telemetry_1h: db.prepare<[number, number]>('DELETE FROM telemetry_1h WHERE series_id = ? AND bucket < ?'),
    },
  };
}

type S<P extends unknown[] | object, R = unknown> = Database.Statement<P, R>;
type RollupParams = { id: number; from: bigint };

export interface TelemetryStatements {
  seriesId: S<[string, string, string, string], { id: number }>;
  insertSeries: S<[string, string, string, string, string, string], { id: number }>;
  upsertRaw: S<[number, number, number | bigint | string]>;
  markDirty: S<[number, number]>;
  dirty: S<[], { series_id: number; from_at: number }>;
  clearDirty: S<[number]>;
  deviceSeries: S<[string, string], SeriesRow>;
  allSeries: S<[], { id: number }>;
  countSeries: S<[], { n: number }>;
  lastValue: S<[number], ValueRow>;
  rawRange: S<[number, number, number], ValueRow>;
  rollup1m: S<RollupParams>;
  rollup1h: S<RollupParams>;
  prune: Record<TableName, S<[number, number]>>;
}

export interface WindowRow {
  w: number;
  v: number | string | null;
  kind: ValueRow['kind'];
}

/** SQL of one aggregate per window over raw values or over a rollup table. */
export function windowSql(table: TableName, fn: AggregateFn): string {
  const raw = table === 'telemetry_raw';
  const time = raw ? 'at' : 'bucket';
  const value: Record<AggregateFn, string> = raw
    ? { mean: `avg(${NUM})`, min: `min(${NUM})`, max: `max(${NUM})`, count: 'count(*)', last: 'value' }
    : { mean: 'sum(num_sum) / sum(num_count)', min: 'min(num_min)', max: 'max(num_max)', count: 'sum(values_count)', last: 'last_value' };
  // For `last`, SQLite takes bare columns from the row holding the single max().
  const lastAt = fn === 'last' ? `, max(${raw ? 'at' : 'last_at'}) AS t` : '';
  return `SELECT ${time} / @every * @every AS w, ${value[fn]} AS v, typeof(${value[fn]}) AS kind${lastAt}
          FROM ${table} WHERE series_id = @id AND ${time} >= @from AND ${time} < @to GROUP BY w ORDER BY w`;
}
