/**
 * Which table answers a range query of the embedded store (documented in README.md):
 * - without `every`: the raw values;
 * - with `every`: the coarsest table whose bucket divides `every`, `from` and `to` and
 *   whose retention covers `from` — exact, since rollups keep count, sum, min, max and last
 *   (raw always qualifies, so an unaligned range is answered from raw values);
 * - when raw no longer covers `from`: the coarsest table whose bucket divides `every` and
 *   whose retention covers `from`, the edge windows then holding whole buckets; failing
 *   that, the table that reaches back furthest.
 */

export type TableName = 'telemetry_raw' | 'telemetry_1m' | 'telemetry_1h';

export interface Resolution {
  table: TableName;
  /** Rollup bucket in ms; 0 for raw values. */
  bucketMs: number;
  retentionMs: number;
}

export interface RetentionDays {
  rawRetentionDays: number;
  minuteRetentionDays: number;
  hourRetentionDays: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export function resolutions(r: RetentionDays): Resolution[] {
  return [
    { table: 'telemetry_raw', bucketMs: 0, retentionMs: r.rawRetentionDays * DAY_MS },
    { table: 'telemetry_1m', bucketMs: MINUTE_MS, retentionMs: r.minuteRetentionDays * DAY_MS },
    { table: 'telemetry_1h', bucketMs: HOUR_MS, retentionMs: r.hourRetentionDays * DAY_MS },
  ];
}

export function pickResolution(q: { from: number; to: number; every?: number }, now: number, r: RetentionDays): Resolution {
  const all = resolutions(r);
  const [raw] = all as [Resolution];
  if (q.every === undefined) return raw;
  const divides = (n: number) => (c: Resolution) => c.bucketMs === 0 || n % c.bucketMs === 0;
  const covers = (c: Resolution) => q.from >= now - c.retentionMs;
  const eligible = all.filter(divides(q.every)).reverse(); // coarsest first
  const exact = eligible.filter(divides(q.from)).filter(divides(q.to));
  return exact.find(covers) ?? eligible.find(covers) ?? eligible.reduce((best, c) => (c.retentionMs > best.retentionMs ? c : best), raw);
}
