/**
 * The durable outbox (`dataDir/outbox.db`, SQLite in WAL mode; see store.ts for what
 * survives what). Every telemetry and events batch is stored under its seq before it is
 * sent, and stays until the hub acks a seq at or above it: `trim()`. Readings are kept
 * exactly as measured; the link adds only the session id and send time when publishing.
 *
 * Seqs rise forever: each is the larger of the next SeqState seq (fsynced high-water mark
 * in state.json) and the outbox's own `next_seq`, stored in the same transaction as the
 * batch. Either store alone keeps seq rising when the other is lost or damaged.
 *
 * Bounds (age, size) drop the oldest batches and report them in an `outbox-overflow`
 * event (bounds.ts); a damaged file is moved aside, salvaged and reported in an
 * `outbox-corrupt` event (recover.ts). Both events travel through the outbox like any batch.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { AgentEvent, Reading } from '@ledwatch/protocols';
import { AgentError, errorMessage } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { enforceBounds, isEmpty, mergePending, overflowEvents, parsePending, type Limits, type Pending } from './bounds.js';
import { moveAside, openChecked, OutboxDamage, salvageInto, type Salvage } from './recover.js';
import { insertRow, metaInt, openDatabase, prepare, type Db, type OutboxKind, type OutboxRow, type Statements } from './store.js';

export type { OutboxKind } from './store.js';

export const OUTBOX_FILE = 'outbox.db';
export const DEFAULT_MAX_AGE_MS = 72 * 3_600_000;
export const DEFAULT_MAX_BYTES = 256 * 1_048_576;

export interface OutboxOptions {
  dataDir: string;
  /** The persisted seq (SeqState). */
  seq: { next(): Promise<number> };
  /** Batches stored longer ago than this are dropped (72 h). */
  maxAgeMs?: number;
  /** Stored payload bytes beyond this drop the oldest batches (256 MiB). */
  maxBytes?: number;
  /** Shortest time between two outbox-overflow events; drops in between add up (60 s). */
  overflowReportMs?: number;
  log?: Logger;
  now?: () => number;
}

export interface OutboxItems {
  telemetry: Reading[];
  events: AgentEvent[];
}

/** A stored batch. `body` is the JSON array of its readings or events. */
export interface OutboxRecord {
  seq: number;
  kind: OutboxKind;
  body: string;
  createdAt: number;
  bytes: number;
  items: number;
}

export interface OutboxStats {
  rows: number;
  bytes: number;
  oldestSeq: number | undefined;
  newestSeq: number | undefined;
  /** Batches and readings dropped by the bounds since open. */
  droppedBatches: number;
  droppedReadings: number;
  overflowEvents: number;
  /** Set when open found the file damaged. */
  recovered?: { movedTo: string; batches: number };
}

export class Outbox {
  readonly file: string;
  readonly #db: Db;
  readonly #st: Statements;
  readonly #seq: OutboxOptions['seq'];
  readonly #limits: Limits;
  readonly #reportMs: number;
  readonly #log: Logger;
  readonly #now: () => number;
  #next: number;
  #rows: number;
  #bytes: number;
  #oldest: number | undefined;
  #newest: number | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #closing = false;
  readonly #counts = { droppedBatches: 0, droppedReadings: 0, overflowEvents: 0 };
  #recovered: OutboxStats['recovered'];

  private constructor(file: string, db: Db, opts: OutboxOptions, floor: number) {
    this.file = file;
    this.#db = db;
    this.#st = prepare(db);
    this.#seq = opts.seq;
    this.#limits = { maxAgeMs: opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS, maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES };
    this.#reportMs = opts.overflowReportMs ?? 60_000;
    this.#log = opts.log ?? silentLogger();
    this.#now = opts.now ?? Date.now;
    const t = this.#st.totals.get() ?? { rows: 0, bytes: 0, oldest: null, newest: null };
    this.#rows = t.rows;
    this.#bytes = t.bytes;
    this.#oldest = t.oldest ?? undefined;
    this.#newest = t.newest ?? undefined;
    this.#next = Math.max(floor, metaInt(this.#st, 'next_seq') ?? 0, (t.newest ?? -1) + 1);
  }

  /** Opens (creating, or recovering from damage) the outbox in `dataDir`. */
  static async open(opts: OutboxOptions): Promise<Outbox> {
    const log = opts.log ?? silentLogger();
    const file = join(opts.dataDir, OUTBOX_FILE);
    let db: Db;
    let damage: { movedTo: string; reason: string; salvage: Salvage } | undefined;
    try {
      await mkdir(opts.dataDir, { recursive: true });
      try {
        db = openChecked(file);
      } catch (err) {
        if (!(err instanceof OutboxDamage)) throw err;
        const movedTo = moveAside(file, (opts.now ?? Date.now)());
        db = openDatabase(file);
        damage = { movedTo, reason: err.message, salvage: salvageInto(movedTo, db) };
        log.error({ code: 'outbox-corrupt', file, movedTo, reason: err.message, ...damage.salvage }, 'outbox file damaged; moved aside, salvaged what still reads');
      }
    } catch (err) {
      throw new AgentError('state-write-failed', `cannot open the outbox ${file}: ${errorMessage(err)}`, 'make the agent data folder readable and writable', { cause: err });
    }
    const outbox = new Outbox(file, db, opts, damage?.salvage.nextSeq ?? 0);
    if (damage !== undefined) {
      outbox.#recovered = { movedTo: damage.movedTo, batches: damage.salvage.recovered };
      await outbox.append('events', [corruptEvent(damage, outbox.#now())]);
    } else {
      await outbox.#chained(() => outbox.#reportOverflow());
    }
    return outbox;
  }

  /** Stores a batch under a new seq (after the bounds made room); resolves with the seq. */
  append<K extends OutboxKind>(kind: K, items: OutboxItems[K]): Promise<number> {
    if (this.#closing) return Promise.reject(new AgentError('agent-state', 'the outbox is closed', 'append before close()'));
    return this.#chained(async () => {
      const seq = await this.#store(kind, items, false);
      await this.#reportOverflow();
      return seq;
    });
  }

  /** Up to `limit` stored batches with a seq above `afterSeq`, in seq order. */
  unsent(afterSeq: number, limit: number): OutboxRecord[] {
    if (!this.#db.open || !this.hasAfter(afterSeq)) return [];
    return this.#st.after.all(afterSeq, limit).map(toRecord);
  }

  /** The seq of the stored batch just before `seq` (undefined when `seq` is the oldest). */
  prevOf(seq: number): number | undefined {
    if (!this.#db.open || this.#oldest === undefined || seq <= this.#oldest) return undefined;
    return this.#st.before.get(seq)?.seq ?? undefined;
  }

  /** True when a stored batch has a seq above `seq`. */
  hasAfter(seq: number): boolean {
    return this.#newest !== undefined && this.#newest > seq;
  }

  /** Deletes every batch with seq ≤ `seq` (the hub stored them); returns how many. */
  trim(seq: number): number {
    if (!this.#db.open || this.#oldest === undefined || seq < this.#oldest) return 0;
    const gone = this.#db.transaction(() => {
      const t = this.#st.upTo.get(seq) ?? { rows: 0, bytes: 0 };
      this.#st.deleteUpTo.run(seq);
      return t;
    })();
    this.#forget(gone.rows, gone.bytes);
    return gone.rows;
  }

  /** Deletes one batch (one that can never be sent); true when it was there. */
  remove(seq: number): boolean {
    if (!this.#db.open || this.#st.deleteOne.run(seq).changes === 0) return false;
    const t = this.#st.totals.get() ?? { rows: 0, bytes: 0, oldest: null, newest: null };
    this.#rows = t.rows;
    this.#bytes = t.bytes;
    this.#oldest = t.oldest ?? undefined;
    this.#newest = t.newest ?? undefined;
    return true;
  }

  stats(): OutboxStats {
    const s: OutboxStats = { rows: this.#rows, bytes: this.#bytes, oldestSeq: this.#oldest, newestSeq: this.#newest, ...this.#counts };
    if (this.#recovered !== undefined) s.recovered = { ...this.#recovered };
    return s;
  }

  /** Waits for appends under way, then closes the file. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#chain;
    if (this.#db.open) this.#db.close();
  }

  #chained<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #store(kind: OutboxKind, items: readonly unknown[], reportsPending: boolean): Promise<number> {
    const seq = Math.max(await this.#seq.next(), this.#next);
    const now = this.#now();
    const body = JSON.stringify(items);
    const row: OutboxRow = { seq, kind, body, created_at: now, bytes: Buffer.byteLength(body), items: items.length };
    let dropped: Pending = {};
    try {
      this.#db.transaction(() => {
        insertRow(this.#st, row);
        this.#st.setMeta.run('next_seq', seq + 1);
        if (reportsPending) this.#st.setMeta.run('overflow_reported_at', now);
        dropped = enforceBounds(this.#st, this.#limits, this.#bytes + row.bytes, now, seq);
        if (reportsPending || !isEmpty(dropped)) {
          const pending = mergePending(reportsPending ? {} : this.#pending(), dropped);
          this.#st.setMeta.run('overflow_pending', JSON.stringify(pending));
        }
      })();
    } catch (err) {
      throw new AgentError('state-write-failed', `cannot store a ${kind} batch in ${this.file}: ${errorMessage(err)}`, 'free disk space; check the agent data folder', {
        cause: err,
      });
    }
    this.#next = seq + 1;
    this.#rows++;
    this.#bytes += row.bytes;
    this.#newest = seq;
    this.#oldest ??= seq;
    for (const d of [dropped.age, dropped.size]) {
      if (d === undefined) continue;
      this.#counts.droppedBatches += d.batches;
      this.#counts.droppedReadings += d.readings;
      this.#forget(d.batches, d.bytes);
    }
    return seq;
  }

  /** Appends the outbox-overflow event for drops not yet reported, at most once per period. */
  async #reportOverflow(): Promise<void> {
    const pending = this.#pending();
    if (isEmpty(pending)) return;
    const now = this.#now();
    const last = metaInt(this.#st, 'overflow_reported_at');
    if (last !== undefined && now >= last && now - last < this.#reportMs) return;
    this.#log.warn({ code: 'outbox-overflow', ...pending }, 'outbox bounds reached while the hub did not acknowledge; oldest batches dropped');
    await this.#store('events', overflowEvents(pending, now, this.#limits), true);
    this.#counts.overflowEvents++;
  }

  #pending(): Pending {
    return parsePending(this.#st.getMeta.get('overflow_pending')?.value);
  }

  /** Accounts for `rows` oldest batches deleted. */
  #forget(rows: number, bytes: number): void {
    this.#rows -= rows;
    this.#bytes -= bytes;
    if (this.#rows > 0) {
      this.#oldest = (this.#st.after.get(-1, 1) as OutboxRow | undefined)?.seq;
      return;
    }
    this.#oldest = undefined;
    this.#newest = undefined;
    // Give the pages of a long outage back to the disk once everything is acked.
    if (rows > 0 && (this.#db.pragma('freelist_count', { simple: true }) as number) > 256) this.#db.pragma('incremental_vacuum');
  }
}

function toRecord(row: OutboxRow): OutboxRecord {
  return { seq: row.seq, kind: row.kind, body: row.body, createdAt: row.created_at, bytes: row.bytes, items: row.items };
}

function corruptEvent(damage: { movedTo: string; reason: string; salvage: Salvage }, at: number): AgentEvent {
  const { recovered, lostAfterSeq, lostBeforeSeq } = damage.salvage;
  const data: Record<string, unknown> = { movedTo: basename(damage.movedTo), reason: damage.reason.slice(0, 300), recoveredBatches: recovered };
  if (lostAfterSeq !== undefined) data.lostAfterSeq = lostAfterSeq;
  if (lostBeforeSeq !== undefined) data.lostBeforeSeq = lostBeforeSeq;
  return {
    type: 'outbox-corrupt',
    action: 'info',
    severity: 'fault',
    at,
    message: `the outbox file was damaged and set aside; ${recovered} batches not yet acknowledged were recovered, any others are lost`,
    data,
  };
}
