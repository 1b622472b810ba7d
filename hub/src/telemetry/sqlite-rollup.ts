/**
 * Rollups and retention of the embedded store. Writes mark a series dirty from the oldest
 * reading time they touched (a row per series, only when that time moves back, so live
 * data costs one row per series per rollup run); a rollup recomputes that series' 1-minute
 * buckets from the raw values and its 1-hour buckets from the 1-minute ones. Recomputing
 * (rather than adding up as values arrive) keeps rollups right when a batch is replayed or
 * a reading overwritten.
 */
import type Database from 'better-sqlite3';
import { HOUR_MS, MINUTE_MS, type RetentionDays, resolutions } from './resolution.js';
import type { TelemetryStatements } from './sqlite-statements.js';

const CHUNK = 500;

export class Rollups {
  /** series id → oldest stale reading time; mirrors telemetry_dirty. */
  readonly dirty = new Map<number, number>();

  constructor(
    private readonly db: Database.Database,
    private readonly st: TelemetryStatements,
  ) {
    this.reload();
  }

  reload(): void {
    this.dirty.clear();
    for (const row of this.st.dirty.all()) this.dirty.set(row.series_id, row.from_at);
  }

  /** Call inside the write transaction. */
  touch(seriesId: number, at: number): void {
    const from = this.dirty.get(seriesId);
    if (from !== undefined && from <= at) return;
    this.st.markDirty.run(seriesId, at);
    this.dirty.set(seriesId, at);
  }

  /** Brings one series' rollups up to date (a query calls this for the series it reads). */
  rollupSeries(seriesId: number): void {
    const from = this.dirty.get(seriesId);
    if (from === undefined) return;
    this.guarded(() => this.db.transaction(() => this.recompute(seriesId, from))());
  }

  /** Brings every dirty series up to date; returns how many were rolled up. */
  rollupAll(): number {
    const pending = [...this.dirty];
    for (let i = 0; i < pending.length; i += CHUNK) {
      this.guarded(() =>
        this.db.transaction(() => {
          for (const [id, from] of pending.slice(i, i + CHUNK)) this.recompute(id, from);
        })(),
      );
    }
    return pending.length;
  }

  /** A rolled-back transaction leaves the table as it was: so must the map be. */
  private guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.reload();
      throw err;
    }
  }

  private recompute(seriesId: number, from: number): void {
    this.st.rollup1m.run({ id: seriesId, from: BigInt(Math.floor(from / MINUTE_MS) * MINUTE_MS) });
    this.st.rollup1h.run({ id: seriesId, from: BigInt(Math.floor(from / HOUR_MS) * HOUR_MS) });
    this.st.clearDirty.run(seriesId);
    if (this.dirty.get(seriesId) === from) this.dirty.delete(seriesId);
  }

  /** Deletes what is past each table's retention (after rolling it up); returns rows deleted. */
  prune(now: number, retention: RetentionDays): number {
    this.rollupAll();
    const cuts = resolutions(retention).map((r) => [this.st.prune[r.table], now - r.retentionMs] as const);
    const ids = this.st.allSeries.all().map((r) => r.id);
    let deleted = 0;
    for (let i = 0; i < ids.length; i += CHUNK) {
      this.db.transaction(() => {
        for (const id of ids.slice(i, i + CHUNK)) for (const [stmt, before] of cuts) deleted += stmt.run(id, before).changes;
      })();
    }
    return deleted;
  }
}
