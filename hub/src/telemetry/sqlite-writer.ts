/**
 * The write path of the embedded store, with group commit: write() calls made close
 * together (the same event-loop turn, or within `groupCommitMs`) share one transaction,
 * and each resolves once that transaction committed. Fewer, larger transactions matter
 * here: points of many series land on many B-tree pages, and each commit writes every page
 * it touched to the WAL.
 */
import type Database from 'better-sqlite3';
import { TelemetryError } from './errors.js';
import type { Rollups } from './sqlite-rollup.js';
import type { TelemetryStatements } from './sqlite-statements.js';
import type { MetricValue, TelemetryPoint, WriteResult } from './store.js';

export const STATE_METRIC = '_state';
const DAY_MS = 86_400_000;

export interface SqliteWriterOptions {
  sqlite: Database.Database;
  st: TelemetryStatements;
  rollups: Rollups;
  now: () => number;
  rawRetentionDays: number;
  /** 0: commit on the next event-loop turn. */
  groupCommitMs: number;
  /** Commit at once when this many points wait. */
  maxGroupPoints: number;
  onRefused(p: TelemetryPoint, reason: string): void;
}

interface Pending {
  points: readonly TelemetryPoint[];
  resolve(r: WriteResult): void;
  reject(e: Error): void;
}

function storable(p: TelemetryPoint): boolean {
  return Number.isSafeInteger(p.at) && Object.values(p.metrics).every((v) => typeof v !== 'number' || Number.isFinite(v));
}

export class SqliteWriter {
  private pending: Pending[] = [];
  private pendingPoints = 0;
  private scheduled: NodeJS.Timeout | NodeJS.Immediate | undefined;
  /** `agent \0 device \0 component` → metric → series id. */
  private readonly series = new Map<string, Map<string, number>>();

  constructor(private readonly opts: SqliteWriterOptions) {}

  /** Points waiting for the next commit. */
  get waiting(): number {
    return this.pendingPoints;
  }

  write(points: readonly TelemetryPoint[]): Promise<WriteResult> {
    const done = new Promise<WriteResult>((resolve, reject) => this.pending.push({ points, resolve, reject }));
    this.pendingPoints += points.length;
    if (this.pendingPoints >= this.opts.maxGroupPoints) this.flush();
    else if (this.scheduled === undefined) {
      this.scheduled = this.opts.groupCommitMs > 0 ? setTimeout(() => this.flush(), this.opts.groupCommitMs) : setImmediate(() => this.flush());
    }
    return done;
  }

  /** Commits everything waiting, in one transaction. */
  flush(): void {
    clearTimeout(this.scheduled as NodeJS.Timeout);
    clearImmediate(this.scheduled as NodeJS.Immediate);
    this.scheduled = undefined;
    const group = this.pending;
    this.pending = [];
    this.pendingPoints = 0;
    if (group.length === 0) return;
    const horizon = this.opts.now() - this.opts.rawRetentionDays * DAY_MS;
    const refused: [TelemetryPoint, string][][] = group.map(() => []);
    try {
      this.opts.sqlite.transaction(() => {
        group.forEach((w, i) => {
          for (const p of w.points) {
            const why = p.at < horizon ? 'beyond-retention' : storable(p) ? undefined : 'invalid';
            if (why !== undefined) refused[i]?.push([p, why]);
            else this.put(p);
          }
        });
      })();
    } catch (err) {
      this.series.clear(); // ids handed out inside the rolled-back transaction do not exist
      this.opts.rollups.reload();
      const error = new TelemetryError('telemetry-unavailable', 'sqlite', `telemetry write failed: ${(err as Error).message}`);
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const bad = refused[i] ?? [];
      for (const [p, why] of bad) this.opts.onRefused(p, why);
      w.resolve({ accepted: w.points.length - bad.length, rejected: bad.length });
    });
  }

  private put(p: TelemetryPoint): void {
    const key = `${p.agentId}\u0000${p.deviceId}\u0000${p.component}`;
    let ids = this.series.get(key);
    if (ids === undefined) {
      ids = new Map();
      this.series.set(key, ids);
    }
    for (const name in p.metrics) this.putValue(ids, p, name, p.metrics[name] as MetricValue);
    if (p.state !== undefined) this.putValue(ids, p, STATE_METRIC, p.state);
  }

  private putValue(ids: Map<string, number>, p: TelemetryPoint, metric: string, value: MetricValue): void {
    let id = ids.get(metric);
    if (id === undefined) {
      id = this.opts.st.insertSeries.get(p.agentId, p.deviceId, p.component, metric, p.customerId, p.siteId)?.id as number;
      ids.set(metric, id);
    }
    this.opts.st.upsertRaw.run(id, p.at, typeof value === 'boolean' ? (value ? 1n : 0n) : value);
    this.opts.rollups.touch(id, p.at);
  }
}
