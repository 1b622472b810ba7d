/**
 * The telemetry store: where every reading the hub accepts is kept as history. Two
 * implementations (InfluxDB over its v1 HTTP API, and an embedded table in the hub's
 * SQLite file) pass one conformance suite (test-utils/conformance.ts).
 *
 * Timestamps are reading times, so writing the same point twice overwrites it: a replayed
 * batch never shows up twice in a query.
 */
import { TelemetryError } from './errors.js';

export type MetricValue = number | boolean | string;

/** One reading of one device (or one component of it), as the store keeps it. */
export interface TelemetryPoint {
  customerId: string;
  siteId: string;
  agentId: string;
  deviceId: string;
  /** Part of the device, e.g. a fan or a mount point; '' for the device itself. */
  component: string;
  /** Reading time on the site clock, ms since the epoch. */
  at: number;
  metrics: Record<string, MetricValue>;
  /** Device state at that time (ok, warn, fault, …). */
  state?: string;
}

/** One agent's reading as ingest has it (the contract's shape). */
export interface ReadingInput {
  device: string;
  component?: string;
  at: number;
  metrics: Record<string, MetricValue>;
  state?: string;
}

/** Whose readings: what every point of one agent shares. */
export interface PointOwner {
  customerId: string;
  siteId: string;
  agentId: string;
}

/** Telemetry points of one agent's readings, times shifted by `offsetMs`. */
export function toTelemetryPoints(owner: PointOwner, readings: readonly ReadingInput[], offsetMs = 0): TelemetryPoint[] {
  return readings.map((r) => ({
    customerId: owner.customerId,
    siteId: owner.siteId,
    agentId: owner.agentId,
    deviceId: r.device,
    component: r.component ?? '',
    at: r.at + offsetMs,
    metrics: r.metrics,
    ...(r.state !== undefined ? { state: r.state } : {}),
  }));
}

/** The newest reading of one component: the point with the highest `at`, as written. */
export interface LatestReading {
  component: string;
  at: number;
  metrics: Record<string, MetricValue>;
  state?: string;
}

export interface LatestQuery {
  agentId: string;
  deviceId: string;
  /** One component only ('' = the device itself); all components when absent. */
  component?: string;
}

/**
 * `mean`, `min` and `max` use numeric values only (null for booleans and strings);
 * `last` keeps the value's type; `count` counts values of any type (0 for an empty window).
 */
export type AggregateFn = 'mean' | 'min' | 'max' | 'last' | 'count';
export const AGGREGATE_FNS: readonly AggregateFn[] = ['mean', 'min', 'max', 'last', 'count'];

export interface RangeQuery {
  agentId: string;
  deviceId: string;
  metric: string;
  /** '' (the default) = the device itself. */
  component?: string;
  /** Inclusive start, ms. */
  from: number;
  /** Exclusive end, ms. */
  to: number;
  /**
   * Window length in ms. Absent: every stored value in the range. Present: one entry per
   * epoch-aligned window from floor(from / every) * every up to `to`, null when empty.
   */
  every?: number;
  /** Aggregate per window; default `mean`. Ignored without `every`. */
  fn?: AggregateFn;
}

/** One value of a range query: a window start (or a reading time) and its value. */
export interface SeriesValue {
  t: number;
  v: MetricValue | null;
}

/** What one write() stored: `rejected` points were refused for good (counted, reported). */
export interface WriteResult {
  accepted: number;
  rejected: number;
}

export interface StoreHealth {
  ok: boolean;
  detail?: Record<string, unknown>;
}

export interface StoreStats {
  /** Points held in memory, waiting to be stored. */
  buffered: number;
  /** write() calls waiting for room in the buffer (backpressure). */
  waitingWriters: number;
  written: number;
  rejected: number;
  retries: number;
}

export interface TelemetryStore {
  readonly kind: 'influx' | 'sqlite';
  /**
   * Stores points; resolves once they are durably stored (InfluxDB answered 204, SQLite
   * committed). Batches internally across calls. When the buffer is full it waits
   * (backpressure), so a caller that acks after it never acks what was not stored.
   */
  write(points: readonly TelemetryPoint[]): Promise<WriteResult>;
  /**
   * write() of one agent's readings, stored at `at + offsetMs` (site clock correction): the
   * ingest hot path, which need not build a TelemetryPoint per reading.
   */
  writeReadings(owner: PointOwner, readings: readonly ReadingInput[], offsetMs: number): Promise<WriteResult>;
  /**
   * Resolves when the store has room for more points (at once: undefined), so ingest can
   * wait before it decodes and applies a message instead of after.
   */
  room(): Promise<void> | undefined;
  latest(q: LatestQuery): Promise<LatestReading[]>;
  query(q: RangeQuery): Promise<SeriesValue[]>;
  health(): Promise<StoreHealth>;
  stats(): StoreStats;
  /** Flushes buffered points (waiting at most its timeout) and stops timers. */
  close(): Promise<void>;
}

/** Window starts of a range query, shared by both stores so they agree to the ms. */
export function windowStarts(from: number, to: number, every: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(from / every) * every; t < to; t += every) out.push(t);
  return out;
}

/** Most windows one query may return (a guard against `every: 1` over a year). */
export const MAX_WINDOWS = 100_000;

/** Throws `telemetry-query` for a range or window the stores cannot answer. */
export function checkRangeQuery(q: RangeQuery): void {
  const bad = (reason: string, message: string) => new TelemetryError('telemetry-query', reason, message, { query: q });
  if (!Number.isSafeInteger(q.from) || !Number.isSafeInteger(q.to) || q.to <= q.from) throw bad('range', `from (${q.from}) must be an integer ms time before to (${q.to})`);
  if (q.every === undefined) return;
  if (!Number.isSafeInteger(q.every) || q.every < 1) throw bad('every', `every (${q.every}) must be a whole number of ms, at least 1`);
  const windows = Math.ceil((q.to - Math.floor(q.from / q.every) * q.every) / q.every);
  if (windows > MAX_WINDOWS) throw bad('too-many-windows', `${windows} windows asked for; at most ${MAX_WINDOWS}: use a longer every`);
  if (q.fn !== undefined && !AGGREGATE_FNS.includes(q.fn)) throw bad('fn', `fn must be one of ${AGGREGATE_FNS.join(', ')}`);
}
