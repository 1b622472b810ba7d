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
import type { TelemetryStore } from './store.js';

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
      gzip: influx.gzip === 'auto' ? !isLoopbackUrl(influx.url) : influx.gzip,
      writeConcurrency: influx.writeConcurrency,
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

/** Whether a URL names this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
