/**
 * A damaged outbox file (torn, truncated, overwritten): recognised at open by its header
 * and `PRAGMA quick_check`, moved aside as `outbox.db.corrupt-<ms>` for a post-mortem, and
 * salvaged into the fresh outbox as far as its pages still read.
 *
 * Salvage works on a copy. A truncated file still claims its old size in the header, and
 * SQLite then refuses every page; the copy's header is made to defer to the real file
 * size instead (the "version-valid-for" field no longer matches the change counter, see
 * https://www.sqlite.org/fileformat2.html#in_header_database_size), so the rows on the
 * surviving pages read again: oldest first until the first missing page, then newest first
 * down to the gap. A torn WAL needs none of this: SQLite drops the frames after the last
 * one whose checksum holds.
 */
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { insertRow, openDatabase, prepare, type Db, type OutboxRow } from './store.js';

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** The outbox file cannot be used as it is. */
export class OutboxDamage extends Error {
  override readonly name = 'OutboxDamage';
}

/** What a salvage got out of a damaged file. */
export interface Salvage {
  /** Batches copied into the fresh outbox. */
  recovered: number;
  /** Seq of the last batch read before the damage, when the damage cut a run short. */
  lostAfterSeq?: number;
  /** Seq of the first batch read after the damage, when any was. */
  lostBeforeSeq?: number;
  /** The damaged file's own next seq, when its meta table still read. */
  nextSeq?: number;
}

export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** Opens and checks the outbox; throws {@link OutboxDamage} when the file is damaged. */
export function openChecked(file: string): Db {
  if (existsSync(file)) checkHeader(file);
  let db: Db | undefined;
  try {
    db = openDatabase(file);
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new OutboxDamage(`quick_check found damage: ${String(result).slice(0, 200)}`);
    return db;
  } catch (err) {
    db?.close();
    if (isCorruption(err)) throw new OutboxDamage(`SQLite reports ${(err as Error).message}`, { cause: err });
    throw err;
  }
}

function checkHeader(file: string): void {
  const { size } = statSync(file);
  if (size < 100) throw new OutboxDamage(`the file is ${size} bytes long, shorter than a SQLite header`);
  const head = Buffer.alloc(MAGIC.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(MAGIC)) throw new OutboxDamage('the file does not start with a SQLite header');
}

/** Moves the damaged file (and its WAL) aside; returns the new name. */
export function moveAside(file: string, at: number): string {
  const aside = `${file}.corrupt-${at}`;
  renameSync(file, aside);
  if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${aside}-wal`);
  rmSync(`${file}-shm`, { force: true });
  return aside;
}

/** Copies every row that still reads from the damaged file `aside` into `target`. */
export function salvageInto(aside: string, target: Db): Salvage {
  const copy = `${aside}.salvage`;
  const out: Salvage = { recovered: 0 };
  let src: Db | undefined;
  try {
    copyFileSync(aside, copy);
    if (existsSync(`${aside}-wal`)) copyFileSync(`${aside}-wal`, `${copy}-wal`);
    deferToFileSize(copy);
    src = new Database(copy, { readonly: true, fileMustExist: true });
    const st = prepare(target);
    const take = (row: OutboxRow): void => {
      if (!isRow(row)) return;
      insertRow(st, row, true);
      out.recovered++;
    };
    target.transaction(() => {
      const source = src as Db;
      let last: number | undefined;
      try {
        for (const row of source.prepare<[], OutboxRow>('SELECT * FROM outbox ORDER BY seq').iterate()) {
          take(row);
          last = row.seq;
        }
        return; // read to the end
      } catch {
        if (last !== undefined) out.lostAfterSeq = last;
      }
      try {
        for (const row of source.prepare<[], OutboxRow>('SELECT * FROM outbox ORDER BY seq DESC').iterate()) {
          if (last !== undefined && row.seq <= last) break;
          take(row);
          out.lostBeforeSeq = row.seq;
        }
      } catch {
        /* the rest is gone */
      }
    })();
    const next = (src.prepare("SELECT value FROM meta WHERE key = 'next_seq'").get() as { value?: unknown } | undefined)?.value;
    if (typeof next === 'number' && Number.isSafeInteger(next)) out.nextSeq = next;
  } catch {
    /* whatever did not read is lost; the caller reports it */
  } finally {
    src?.close();
    for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  }
  return out;
}

/** Makes SQLite take the database size from the file length instead of the header. */
function deferToFileSize(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    const counter = Buffer.alloc(4);
    if (readSync(fd, counter, 0, 4, 24) < 4) return;
    counter.writeUInt32BE((counter.readUInt32BE(0) + 1) >>> 0, 0);
    writeSync(fd, counter, 0, 4, 92);
  } finally {
    closeSync(fd);
  }
}

function isRow(row: OutboxRow): boolean {
  return (
    Number.isSafeInteger(row.seq) &&
    row.seq >= 0 &&
    (row.kind === 'telemetry' || row.kind === 'events') &&
    typeof row.body === 'string' &&
    Number.isSafeInteger(row.created_at) &&
    Number.isSafeInteger(row.bytes) &&
    Number.isSafeInteger(row.items)
  );
}
