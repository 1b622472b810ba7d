/**
 * The outbox's bounds. Batches older than `maxAgeMs` (by the time they were stored) or
 * beyond `maxBytes` of stored payload are dropped, oldest first, inside the transaction of
 * the append that broke the bound. The drops are counted per reason in the outbox's meta
 * table, so a crash cannot lose the count, until an `outbox-overflow` event reports them.
 * Age is measured on the site clock at store time: a clock that jumps ahead by more than
 * `maxAgeMs` ages the whole backlog out (and reports it), so keep the bound in days.
 * `maxBytes` counts stored payload; the file itself is some 10-20 % larger, plus its WAL.
 */
import type { AgentEvent } from '@ledwatch/protocols';
import type { Statements } from './store.js';

export interface Limits {
  maxAgeMs: number;
  maxBytes: number;
}

export type DropReason = 'age' | 'size';

export interface Dropped {
  batches: number;
  readings: number;
  bytes: number;
  fromSeq: number;
  toSeq: number;
}

/** Drops not yet reported, per reason. */
export type Pending = Partial<Record<DropReason, Dropped>>;

const REASONS: readonly DropReason[] = ['age', 'size'];

/**
 * Drops what breaks the bounds (never `keepSeq`, the batch just stored) and returns it.
 * `totalBytes` is the stored payload including the new batch.
 */
export function enforceBounds(st: Statements, limits: Limits, totalBytes: number, now: number, keepSeq: number): Pending {
  const out: Pending = {};
  const cutoff = now - limits.maxAgeMs;
  const age = dropOldestWhile(st, keepSeq, (row) => row.created_at < cutoff);
  if (age !== undefined) out.age = age;
  let excess = totalBytes - (age?.bytes ?? 0) - limits.maxBytes;
  if (excess > 0) {
    const size = dropOldestWhile(st, keepSeq, (row) => {
      if (excess <= 0) return false;
      excess -= row.bytes;
      return true;
    });
    if (size !== undefined) out.size = size;
  }
  return out;
}

function dropOldestWhile(st: Statements, keepSeq: number, pred: (row: { created_at: number; bytes: number }) => boolean): Dropped | undefined {
  let d: Dropped | undefined;
  for (const row of st.oldestSizes.iterate()) {
    if (row.seq === keepSeq || !pred(row)) break;
    d ??= { batches: 0, readings: 0, bytes: 0, fromSeq: row.seq, toSeq: row.seq };
    d.batches++;
    d.bytes += row.bytes;
    if (row.kind === 'telemetry') d.readings += row.items;
    d.toSeq = row.seq;
  }
  if (d !== undefined) st.deleteUpTo.run(d.toSeq);
  return d;
}

export function isEmpty(p: Pending): boolean {
  return p.age === undefined && p.size === undefined;
}

export function mergePending(a: Pending, b: Pending): Pending {
  const out: Pending = {};
  for (const reason of REASONS) {
    const x = a[reason];
    const y = b[reason];
    if (x === undefined || y === undefined) {
      const only = x ?? y;
      if (only !== undefined) out[reason] = { ...only };
      continue;
    }
    out[reason] = {
      batches: x.batches + y.batches,
      readings: x.readings + y.readings,
      bytes: x.bytes + y.bytes,
      fromSeq: Math.min(x.fromSeq, y.fromSeq),
      toSeq: Math.max(x.toSeq, y.toSeq),
    };
  }
  return out;
}

/** Pending drops as stored in meta; anything unreadable counts as none. */
export function parsePending(text: unknown): Pending {
  if (typeof text !== 'string') return {};
  try {
    const raw = JSON.parse(text) as Record<string, Partial<Dropped>>;
    const out: Pending = {};
    for (const reason of REASONS) {
      const d = raw[reason];
      const fields = [d?.batches, d?.readings, d?.bytes, d?.fromSeq, d?.toSeq];
      if (d !== undefined && fields.every((v) => Number.isSafeInteger(v))) out[reason] = d as Dropped;
    }
    return out;
  } catch {
    return {};
  }
}

/** One `outbox-overflow` event per reason with drops. */
export function overflowEvents(pending: Pending, at: number, limits: Limits): AgentEvent[] {
  return REASONS.flatMap((reason) => {
    const d = pending[reason];
    if (d === undefined) return [];
    const bound = reason === 'age' ? `older than ${round(limits.maxAgeMs / 3_600_000)} h` : `over ${round(limits.maxBytes / 1_048_576)} MB`;
    const event: AgentEvent = {
      type: 'outbox-overflow',
      action: 'info',
      severity: 'risk',
      at,
      message: `outbox ${bound} while the hub did not acknowledge: dropped the oldest ${d.batches} batches (${d.readings} readings)`,
      data: { reason, droppedBatches: d.batches, droppedReadings: d.readings, droppedBytes: d.bytes, fromSeq: d.fromSeq, toSeq: d.toSeq },
    };
    return [event];
  });
}

const round = (n: number): number => Math.round(n * 100) / 100;
