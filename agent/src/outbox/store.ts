/**
 * The outbox's SQLite file (better-sqlite3): pragmas, schema and statements.
 *
 * Durability: WAL with `synchronous=NORMAL`. A commit is in the WAL before `append()`
 * returns, so a SIGKILL or a crash of the process loses nothing committed; a power cut may
 * lose the last commits before a checkpoint (never corrupting the file). Seqs stay unique
 * even then, because they come from the fsynced, block-reserved SeqState (state.ts).
 * A batch lost to a power cut was never acked by the hub, and was most likely never sent:
 * it is the same loss as the readings still in memory at that moment.
 *
 * A new file is built under a temporary name and renamed into place, so a zero-length or
 * header-less `outbox.db` can only be outside damage, never a crash during creation.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';

export type Db = Database.Database;
export type OutboxKind = 'telemetry' | 'events';

/** One stored batch, as a row. */
export interface OutboxRow {
  seq: number;
  kind: OutboxKind;
  /** JSON array: the readings of a telemetry batch or the events of an events batch. */
  body: string;
  created_at: number;
  /** Bytes of `body`, counted against the size bound. */
  bytes: number;
  /** Readings (telemetry) or events in the batch. */
  items: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('telemetry', 'events')),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  items INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
`;

/** Opens the file, creating it (atomically) when missing. Throws better-sqlite3 errors as they come. */
export function openDatabase(file: string): Db {
  if (!existsSync(file)) createDatabase(file);
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('journal_size_limit = 4194304');
    db.pragma('busy_timeout = 2000');
    db.exec(SCHEMA);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

function createDatabase(file: string): void {
  const tmp = `${file}.new`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const db = new Database(tmp);
  try {
    db.pragma('auto_vacuum = INCREMENTAL'); // only possible before the first table
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
  } finally {
    db.close(); // checkpoints and removes the WAL, so the one file holds everything
  }
  renameSync(tmp, file);
}

export interface Statements {
  insert: Database.Statement<[number, OutboxKind, string, number, number, number]>;
  insertOrIgnore: Database.Statement<[number, OutboxKind, string, number, number, number]>;
  after: Database.Statement<[number, number], OutboxRow>;
  oldestSizes: Database.Statement<[], Pick<OutboxRow, 'seq' | 'kind' | 'created_at' | 'bytes' | 'items'>>;
  totals: Database.Statement<[], { rows: number; bytes: number; oldest: number | null; newest: number | null }>;
  upTo: Database.Statement<[number], { rows: number; bytes: number }>;
  deleteUpTo: Database.Statement<[number]>;
  deleteOne: Database.Statement<[number]>;
  before: Database.Statement<[number], { seq: number | null }>;
  getMeta: Database.Statement<[string], { value: unknown }>;
  setMeta: Database.Statement<[string, number | string]>;
}

export function prepare(db: Db): Statements {
  return {
    insert: db.prepare('INSERT INTO outbox (seq, kind, body, created_at, bytes, items) VALUES (?, ?, ?, ?, ?, ?)'),
    insertOrIgnore: db.prepare('INSERT OR IGNORE INTO outbox (seq, kind, body, created_at, bytes, items) VALUES (?, ?, ?, ?, ?, ?)'),
    after: db.prepare('SELECT seq, kind, body, created_at, bytes, items FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?'),
    oldestSizes: db.prepare('SELECT seq, kind, created_at, bytes, items FROM outbox ORDER BY seq'),
    totals: db.prepare('SELECT count(*) AS rows, total(bytes) AS bytes, min(seq) AS oldest, max(seq) AS newest FROM outbox'),
    upTo: db.prepare('SELECT count(*) AS rows, total(bytes) AS bytes FROM outbox WHERE seq <= ?'),
    deleteUpTo: db.prepare('DELETE FROM outbox WHERE seq <= ?'),
    deleteOne: db.prepare('DELETE FROM outbox WHERE seq = ?'),
    before: db.prepare('SELECT max(seq) AS seq FROM outbox WHERE seq < ?'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
  };
}

export function insertRow(st: Statements, row: OutboxRow, ignoreDuplicate = false): void {
  (ignoreDuplicate ? st.insertOrIgnore : st.insert).run(row.seq, row.kind, row.body, row.created_at, row.bytes, row.items);
}

/** A meta value that is a safe integer, else undefined. */
export function metaInt(st: Statements, key: string): number | undefined {
  const value = st.getMeta.get(key)?.value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}
