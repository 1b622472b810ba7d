/**
 * Consistent copy of the SQLite state database while the hub runs, through SQLite's
 * online backup API (pages copied under the database's own locking; WAL content included).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';

export async function backupStateDb(source: string, destination: string): Promise<{ pages: number; destination: string }> {
  if (!existsSync(source)) throw new Error(`no state database at ${source}: pass --config with the hub's data.dir`);
  const dest = resolve(destination);
  if (resolve(source) === dest) throw new Error('the backup must go to another file than the live database');
  mkdirSync(dirname(dest), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    const result = await db.backup(dest);
    return { pages: result.totalPages, destination: dest };
  } finally {
    db.close();
  }
}
