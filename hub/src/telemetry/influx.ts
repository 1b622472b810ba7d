/**
 * The InfluxDB telemetry store: points become line protocol, pass through a bounded
 * batcher (size + time, gzip, retries with backoff and full jitter, backpressure) to
 * `/write?precision=ms`, and are read back with InfluxQL over `/query`.
 */
import type { Logger } from 'pino';
import { Batcher } from './batcher.js';
import { TelemetryError, rejectionReason } from './errors.js';
import { setupDatabase } from './influx-setup.js';
import { InfluxHttp, InfluxHttpError, type InfluxHttpOptions } from './influx-http.js';
import { isUnsupportedType, latestFromSeries, latestStatement, rangeFromSeries, rangeStatement } from './influxql.js';
import { LineEncoder, toLine } from './line-protocol.js';
import type { TelemetryMetrics } from './metrics.js';
import type { LatestQuery, LatestReading, PointOwner, RangeQuery, ReadingInput, SeriesValue, StoreHealth, StoreStats, TelemetryPoint, TelemetryStore, WriteResult } from './store.js';
import { checkRangeQuery, windowStarts } from './store.js';

export interface InfluxStoreOptions extends Omit<InfluxHttpOptions, 'retentionPolicy'> {
  retentionPolicy: string;
  /** Create the database and retention policy when missing (1.x). */
  createDatabase: boolean;
  rawRetentionDays: number;
  batchSize: number;
  /** Write requests in flight at once (default 1). */
  writeConcurrency?: number;
  flushIntervalMs: number;
  maxBufferedPoints: number;
  retryMaxDelayMs: number;
  retryBaseDelayMs?: number;
  /** How long close() waits for buffered points to reach InfluxDB. */
  closeTimeoutMs?: number;
  log: Logger;
  metrics?: TelemetryMetrics;
  /** Told about every point refused for good (also counted and logged). */
  onRejected?: (err: TelemetryError) => void;
  random?: () => number;
}

/** Setting up the database failed: always worth another try (never a rejection of points). */
class SetupFailed extends Error {}

export class InfluxTelemetryStore implements TelemetryStore {
  readonly kind = 'influx';
  private readonly http: InfluxHttp;
  private readonly batcher: Batcher<string>;
  private readonly log: Logger;
  private setup: Promise<void> | undefined;
  private lastError: string | undefined;
  private localRejected = 0;
  private readonly encoder = new LineEncoder();

  constructor(private readonly opts: InfluxStoreOptions) {
    this.log = opts.log.child({ module: 'telemetry-influx' });
    this.http = new InfluxHttp(opts);
    this.batcher = new Batcher<string>({
      sink: { send: (lines, signal) => this.send(lines, signal) },
      classify: (err) =>
        err instanceof InfluxHttpError && err.isRejection ? { kind: 'reject' } : { kind: 'retry', ...(err instanceof InfluxHttpError && err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}) },
      batchSize: opts.batchSize,
      ...(opts.writeConcurrency !== undefined ? { concurrency: opts.writeConcurrency } : {}),
      flushIntervalMs: opts.flushIntervalMs,
      maxBuffered: opts.maxBufferedPoints,
      retryMaxMs: opts.retryMaxDelayMs,
      ...(opts.retryBaseDelayMs !== undefined ? { retryBaseMs: opts.retryBaseDelayMs } : {}),
      ...(opts.random !== undefined ? { random: opts.random } : {}),
      hooks: {
        onSent: (lines) => this.onSent(lines.length),
        onRetry: (err, attempt, delayMs) => this.onRetry(err, attempt, delayMs),
        onRejected: (line, err) => this.reject(line, err),
      },
    });
  }

  /** Creates the database and its retention policy when missing (once; again after a 404). */
  ensureDatabase(): Promise<void> {
    if (!this.opts.createDatabase) return Promise.resolve();
    this.setup ??= setupDatabase(this.http, this.opts, this.log).catch((err: unknown) => {
      this.setup = undefined;
      throw new SetupFailed(`cannot set up database ${this.opts.database}: ${(err as Error).message}`);
    });
    return this.setup;
  }

  async write(points: readonly TelemetryPoint[]): Promise<WriteResult> {
    const lines: string[] = [];
    let empty = 0;
    let invalid = 0;
    for (const p of points) {
      try {
        const line = toLine(p);
        if (line === undefined) empty++;
        else lines.push(line);
      } catch (err) {
        invalid++;
        this.reject(`${p.agentId}/${p.deviceId} at ${p.at}`, err);
      }
    }
    this.opts.metrics?.buffered.set({ store: this.kind }, this.batcher.buffered + lines.length);
    const r = await this.batcher.add(lines);
    return { accepted: r.accepted + empty, rejected: r.rejected + invalid };
  }

  /** Not async: the readings are encoded at once and not held while the batch waits. */
  writeReadings(owner: PointOwner, readings: readonly ReadingInput[], offsetMs: number): Promise<WriteResult> {
    const lines: string[] = [];
    let invalid = 0;
    const empty = this.encoder.encode(owner, readings, offsetMs, lines, (r, err) => {
      invalid++;
      this.reject(`${owner.agentId}/${r.device} at ${r.at + offsetMs}`, err);
    });
    this.opts.metrics?.buffered.set({ store: this.kind }, this.batcher.buffered + lines.length);
    return this.batcher.add(lines).then((r) => ({ accepted: r.accepted + empty, rejected: r.rejected + invalid }));
  }

  room(): Promise<void> | undefined {
    return this.batcher.room();
  }

  async latest(q: LatestQuery): Promise<LatestReading[]> {
    const [series = []] = await this.read(latestStatement(this.opts.retentionPolicy, q));
    return latestFromSeries(series);
  }

  async query(q: RangeQuery): Promise<SeriesValue[]> {
    checkRangeQuery(q);
    try {
      const [series = []] = await this.read(rangeStatement(this.opts.retentionPolicy, q));
      return rangeFromSeries(series, q);
    } catch (err) {
      if (q.every === undefined || !(err instanceof TelemetryError) || !isUnsupportedType(err.message)) throw err;
      return windowStarts(q.from, q.to, q.every).map((t) => ({ t, v: null }));
    }
  }

  async health(): Promise<StoreHealth> {
    const detail: Record<string, unknown> = { url: this.opts.url, database: this.opts.database, buffered: this.batcher.buffered };
    if (this.lastError !== undefined) detail.lastError = this.lastError;
    try {
      detail.version = (await this.http.ping()).version;
      await this.ensureDatabase();
      return { ok: this.lastError === undefined, detail };
    } catch (err) {
      return { ok: false, detail: { ...detail, error: (err as Error).message } };
    }
  }

  stats(): StoreStats {
    const c = this.batcher.counts;
    return { buffered: this.batcher.buffered, waitingWriters: this.batcher.waitingWriters, written: c.written, rejected: c.rejected + this.localRejected, retries: c.retries };
  }

  async close(): Promise<void> {
    await this.batcher.close(this.opts.closeTimeoutMs ?? 10_000);
    this.http.close();
    this.opts.metrics?.buffered.set({ store: this.kind }, 0);
  }

  private async send(lines: readonly string[], signal: AbortSignal): Promise<void> {
    await this.ensureDatabase();
    try {
      await this.http.write(lines, signal);
    } catch (err) {
      if (err instanceof InfluxHttpError && err.isDatabaseMissing) this.setup = undefined; // dropped under us: create again
      throw err;
    }
  }

  private async read(statement: string) {
    try {
      return await this.http.query(statement);
    } catch (err) {
      const status = err instanceof InfluxHttpError ? err.status : 0;
      if (status === 404) return [[]]; // no database yet: nothing written
      throw new TelemetryError(status === 400 ? 'telemetry-query' : 'telemetry-unavailable', 'query-failed', (err as Error).message, { statement });
    }
  }

  private onSent(count: number): void {
    if (this.lastError !== undefined) this.log.info({ buffered: this.batcher.buffered }, 'InfluxDB writes recovered');
    this.lastError = undefined;
    this.opts.metrics?.written.inc({ store: this.kind }, count);
    this.opts.metrics?.buffered.set({ store: this.kind }, this.batcher.buffered);
  }

  private onRetry(err: unknown, attempt: number, delayMs: number): void {
    const message = (err as Error).message;
    // Loud once per outage, quiet while it lasts.
    if (this.lastError === undefined) this.log.warn({ err: message, delayMs, buffered: this.batcher.buffered }, 'InfluxDB write failed; retrying');
    else this.log.debug({ err: message, attempt, delayMs }, 'InfluxDB write retry');
    this.lastError = message;
    this.opts.metrics?.retries.inc({ store: this.kind });
    this.opts.metrics?.buffered.set({ store: this.kind }, this.batcher.buffered);
  }

  private reject(line: string, err: unknown): void {
    const message = (err as Error).message;
    const reason = err instanceof InfluxHttpError ? rejectionReason(message) : 'invalid';
    if (!(err instanceof InfluxHttpError)) this.localRejected++;
    const error = new TelemetryError('telemetry-rejected', reason, `point dropped: ${message}`, { line });
    this.opts.metrics?.rejected.inc({ store: this.kind, reason });
    this.log.warn({ code: error.code, reason, line, err: message }, 'telemetry point rejected and dropped');
    this.opts.onRejected?.(error);
  }
}
