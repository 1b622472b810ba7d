/**
 * The embedded telemetry store: tables in the hub's SQLite file (migration 004), written
 * with prepared statements in group-committed transactions (sqlite-writer.ts), so write()
 * resolves once its points are committed; rollups and retention in sqlite-rollup.ts,
 * table choice per query in resolution.ts. Good for a small fleet; see README.md.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { TelemetryError } from './errors.js';
import type { TelemetryMetrics } from './metrics.js';
import { type RetentionDays, pickResolution } from './resolution.js';
import { Rollups } from './sqlite-rollup.js';
import { STATE_METRIC, SqliteWriter } from './sqlite-writer.js';
import { type TelemetryStatements, type ValueRow, type WindowRow, prepareStatements, windowSql } from './sqlite-statements.js';
import type { AggregateFn, LatestQuery, LatestReading, MetricValue, PointOwner, RangeQuery, ReadingInput, SeriesValue, StoreHealth, StoreStats, TelemetryPoint, TelemetryStore, WriteResult } from './store.js';
import { checkRangeQuery, toTelemetryPoints, windowStarts } from './store.js';

export interface SqliteStoreOptions extends RetentionDays {
  sqlite: Database.Database;
  log: Logger;
  now: () => number;
  metrics?: TelemetryMetrics;
  /** Told about every point refused (older than the raw retention, or not storable). */
  onRejected?: (err: TelemetryError) => void;
  /** Window of the group commit (0 = the next event-loop turn); default 0. */
  groupCommitMs?: number;
  /** Run rollup() and prune() on these intervals (production); tests call them directly. */
  timers?: { rollupMs: number; pruneMs: number };
}

function decode(row: { value: number | string | null; kind: string }): MetricValue | null {
  if (row.kind === 'integer') return row.value !== 0;
  return row.value;
}

export class SqliteTelemetryStore implements TelemetryStore {
  readonly kind = 'sqlite';
  private readonly st: TelemetryStatements;
  readonly rollups: Rollups;
  private readonly writer: SqliteWriter;
  private readonly log: Logger;
  private readonly windowStatements = new Map<string, Database.Statement>();
  private readonly counts = { written: 0, rejected: 0 };
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly opts: SqliteStoreOptions) {
    this.st = prepareStatements(opts.sqlite);
    this.rollups = new Rollups(opts.sqlite, this.st);
    this.log = opts.log.child({ module: 'telemetry-sqlite' });
    this.writer = new SqliteWriter({
      sqlite: opts.sqlite,
      st: this.st,
      rollups: this.rollups,
      now: opts.now,
      rawRetentionDays: opts.rawRetentionDays,
      groupCommitMs: opts.groupCommitMs ?? 0,
      maxGroupPoints: 100_000,
      onRefused: (p, why) => this.reject(p, why),
    });
    if (opts.timers !== undefined) {
      this.every(opts.timers.rollupMs, 'rollup', () => this.rollup());
      this.every(opts.timers.pruneMs, 'prune', () => this.prune());
    }
  }

  private every(ms: number, what: string, job: () => void): void {
    const timer = setInterval(() => {
      try {
        job();
      } catch (err) {
        this.log.error({ err }, `telemetry ${what} failed`);
      }
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  async write(points: readonly TelemetryPoint[]): Promise<WriteResult> {
    if (this.closed) throw new TelemetryError('telemetry-closed', 'closed', 'the telemetry store is closed');
    const result = await this.writer.write(points);
    this.counts.written += result.accepted;
    this.opts.metrics?.written.inc({ store: this.kind }, result.accepted);
    return result;
  }

  writeReadings(owner: PointOwner, readings: readonly ReadingInput[], offsetMs: number): Promise<WriteResult> {
    return this.write(toTelemetryPoints(owner, readings, offsetMs));
  }

  /** Writes commit within a few ms and hold nothing back: always room. */
  room(): undefined {
    return undefined;
  }

  async latest(q: LatestQuery): Promise<LatestReading[]> {
    const byComponent = new Map<string, { metric: string; row: ValueRow }[]>();
    for (const s of this.st.deviceSeries.all(q.agentId, q.deviceId)) {
      if (q.component !== undefined && s.component !== q.component) continue;
      const row = this.st.lastValue.get(s.id);
      if (row === undefined) continue;
      const list = byComponent.get(s.component) ?? [];
      list.push({ metric: s.metric, row });
      byComponent.set(s.component, list);
    }
    const out: LatestReading[] = [];
    for (const [component, list] of byComponent) {
      const at = Math.max(...list.map((x) => x.row.at));
      const reading: LatestReading = { component, at, metrics: {} };
      for (const { metric, row } of list) {
        if (row.at !== at) continue;
        if (metric === STATE_METRIC) reading.state = String(row.value);
        else reading.metrics[metric] = decode(row) as MetricValue;
      }
      out.push(reading);
    }
    return out.sort((a, b) => a.component.localeCompare(b.component));
  }

  async query(q: RangeQuery): Promise<SeriesValue[]> {
    checkRangeQuery(q);
    const id = this.st.seriesId.get(q.agentId, q.deviceId, q.component ?? '', q.metric)?.id;
    if (q.every === undefined) {
      const rows = id === undefined ? [] : this.st.rawRange.all(id, q.from, q.to);
      return rows.map((r) => ({ t: r.at, v: decode(r) }));
    }
    const fn: AggregateFn = q.fn ?? 'mean';
    const windows = windowStarts(q.from, q.to, q.every);
    if (id === undefined) return windows.map((t) => ({ t, v: fn === 'count' ? 0 : null }));
    const res = pickResolution(q, this.opts.now(), this.opts);
    if (res.bucketMs > 0) this.rollups.rollupSeries(id);
    const from = res.bucketMs > 0 ? Math.floor(q.from / res.bucketMs) * res.bucketMs : q.from;
    const rows = this.windowStatement(res.table, fn).all({ id, every: BigInt(q.every), from, to: q.to }) as WindowRow[];
    const byWindow = new Map(rows.map((r) => [r.w, r]));
    return windows.map((t) => {
      const r = byWindow.get(t);
      if (r === undefined) return { t, v: fn === 'count' ? 0 : null };
      return { t, v: fn === 'last' ? decode({ value: r.v, kind: r.kind }) : r.v };
    });
  }

  private windowStatement(table: Parameters<typeof windowSql>[0], fn: AggregateFn): Database.Statement {
    const key = `${table}:${fn}`;
    let stmt = this.windowStatements.get(key);
    if (stmt === undefined) {
      stmt = this.opts.sqlite.prepare(windowSql(table, fn));
      this.windowStatements.set(key, stmt);
    }
    return stmt;
  }

  /** Rolls up every dirty series (the production timer calls this). */
  rollup(): number {
    return this.rollups.rollupAll();
  }

  /** Deletes what each table's retention no longer covers. */
  prune(now = this.opts.now()): number {
    const deleted = this.rollups.prune(now, this.opts);
    if (deleted > 0) this.log.debug({ deleted }, 'telemetry pruned');
    return deleted;
  }

  async health(): Promise<StoreHealth> {
    return { ok: !this.closed, detail: { series: this.st.countSeries.get()?.n ?? 0, dirtySeries: this.rollups.dirty.size } };
  }

  stats(): StoreStats {
    return { buffered: this.writer.waiting, waitingWriters: 0, written: this.counts.written, rejected: this.counts.rejected, retries: 0 };
  }

  async close(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    if (!this.closed && this.opts.sqlite.open) {
      this.writer.flush();
      this.rollup();
    }
    this.closed = true;
  }

  private reject(p: TelemetryPoint, reason: string): void {
    this.counts.rejected++;
    const message = reason === 'beyond-retention' ? `reading at ${p.at} is older than the raw retention` : 'reading has a time or value that cannot be stored';
    const err = new TelemetryError('telemetry-rejected', reason, `point dropped: ${message}`, { agentId: p.agentId, deviceId: p.deviceId, at: p.at });
    this.opts.metrics?.rejected.inc({ store: this.kind, reason });
    this.log.warn({ code: err.code, reason, agentId: p.agentId, deviceId: p.deviceId, at: p.at }, 'telemetry point rejected and dropped');
    this.opts.onRejected?.(err);
  }
}
