/**
 * The hub's telemetry store, chosen by configuration: InfluxDB when `influx.url` (or
 * LEDWATCH_INFLUX_URL) is set, else the embedded SQLite store with its rollup and
 * retention timers.
 */
import type { HubContext } from '../context.js';
import type { TelemetryError } from './errors.js';
import { InfluxTelemetryStore } from './influx.js';
import { createTelemetryMetrics } from './metrics.js';
import { SqliteTelemetryStore } from './sqlite.js';
import type { TelemetryPoint, TelemetryStore } from './store.js';

export * from './store.js';
export { TelemetryError, type TelemetryErrorCode } from './errors.js';
export { InfluxTelemetryStore, type InfluxStoreOptions } from './influx.js';
export { SqliteTelemetryStore, type SqliteStoreOptions } from './sqlite.js';
export { createTelemetryMetrics, type TelemetryMetrics } from './metrics.js';

export interface CreateTelemetryStoreOptions {
  onRejected?: (err: TelemetryError) => void;
}

export function createTelemetryStore(ctx: Pick<HubContext, 'config' | 'log' | 'state' | 'metrics' | 'now'>, opts: CreateTelemetryStoreOptions = {}): TelemetryStore {
  const { influx, telemetry } = ctx.config;
  const metrics = createTelemetryMetrics(ctx.metrics.registry);
  const onRejected = opts.onRejected !== undefined ? { onRejected: opts.onRejected } : {};
  if (influx.url !== undefined) {
    ctx.log.info({ url: influx.url, database: influx.database, retentionPolicy: influx.retentionPolicy }, 'telemetry store: InfluxDB');
    return new InfluxTelemetryStore({
      url: influx.url,
      database: influx.database,
      retentionPolicy: influx.retentionPolicy,
      ...(influx.username !== undefined ? { username: influx.username } : {}),
      ...(influx.password !== undefined ? { password: influx.password } : {}),
      ...(influx.token !== undefined ? { token: influx.token } : {}),
      createDatabase: influx.createDatabase,
      rawRetentionDays: telemetry.rawRetentionDays,
      gzip: influx.gzip,
      timeoutMs: influx.timeoutMs,
      batchSize: influx.batchSize,
      flushIntervalMs: influx.flushIntervalMs,
      maxBufferedPoints: influx.maxBufferedPoints,
      retryMaxDelayMs: influx.retryMaxDelayMs,
      log: ctx.log,
      metrics,
      ...onRejected,
    });
  }
  ctx.log.info({ path: ctx.state.path }, 'telemetry store: embedded SQLite');
  return new SqliteTelemetryStore({
    sqlite: ctx.state.sqlite,
    log: ctx.log,
    now: ctx.now,
    metrics,
    ...telemetry,
    timers: { rollupMs: telemetry.rollupIntervalS * 1000, pruneMs: telemetry.pruneIntervalS * 1000 },
    ...onRejected,
  });
}

/** Telemetry points of one agent's readings (what ingest hands the store). */
export function toTelemetryPoints(
  owner: { customerId: string; siteId: string; agentId: string },
  readings: readonly { device: string; component?: string; at: number; metrics: TelemetryPoint['metrics']; state?: string }[],
): TelemetryPoint[] {
  return readings.map((r) => ({
    ...owner,
    deviceId: r.device,
    component: r.component ?? '',
    at: r.at,
    metrics: r.metrics,
    ...(r.state !== undefined ? { state: r.state } : {}),
  }));
}
