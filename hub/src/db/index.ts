/**
 * Opens the hub's state database (SQLite through Kysely by default) and brings its schema
 * up to date. WAL mode so readers never block the ingest writer.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

export type { DB } from './schema.js';
export * from './schema.js';

export interface StateDb {
  db: Kysely<DB>;
  /** The underlying SQLite handle (backup, pragmas, fast synchronous paths). */
  sqlite: Database.Database;
  path: string;
  close(): Promise<void>;
}

export async function openStateDb(path: string): Promise<StateDb> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Up to 64 MB of pages cached (SQLite's default is 2 MB): a fleet's devices and latest
  // readings (~100 MB at 400,000 devices) are rewritten continually, and each write of a page
  // not cached reads it from the file again (bench/ingest).
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    await db.destroy();
    const why = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`state database ${path}: migration failed: ${why}`);
  }
  let closed = false;
  return {
    db,
    sqlite,
    path,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes the better-sqlite3 handle too
    },
  };
}
