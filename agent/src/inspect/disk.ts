/**
 * Disk and file facts: usage and inodes per mount (tmpfs included: a full /run stops
 * services too), size of the log folders and the agent's data folder (its outbox), and
 * the largest files among them. Folder walks are bounded so a huge tree cannot stall
 * the inspection.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InspectFacts } from '@ledwatch/protocols';
import { SKIPPED_FS_TYPES } from '../drivers/host/mounts.js';
import type { InspectEnv } from './env.js';

type Disk = InspectFacts['disk'];

/** Pseudo filesystems are skipped, but tmpfs is a real place to run out of space. */
const SKIP = new Set([...SKIPPED_FS_TYPES].filter((t) => t !== 'tmpfs'));
const MAX_FILES_WALKED = 20_000;

export interface WalkResult {
  bytes: number;
  files: number;
  largest: { path: string; bytes: number }[];
}

/** Sums a folder tree (bounded), keeping the `keep` largest files. */
export async function walk(dir: string, keep: number, budget = { left: MAX_FILES_WALKED }): Promise<WalkResult> {
  const out: WalkResult = { bytes: 0, files: 0, largest: [] };
  const stack = [dir];
  while (stack.length > 0 && budget.left > 0) {
    const d = stack.pop() as string;
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (budget.left-- <= 0) break;
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        const s = await stat(p).catch(() => undefined);
        if (s === undefined) continue;
        out.bytes += s.size;
        out.files++;
        if (keep > 0) {
          out.largest.push({ path: p.slice(0, 1024), bytes: s.size });
          if (out.largest.length > keep * 2) out.largest = top(out.largest, keep);
        }
      }
    }
  }
  out.largest = top(out.largest, keep);
  return out;
}

const top = (files: WalkResult['largest'], n: number) => [...files].sort((a, b) => b.bytes - a.bytes).slice(0, n);

export async function collectDisk(env: InspectEnv, opts: { logDirs: string[]; dataDir: string; largestFiles: number; outboxBatches?: number }): Promise<Disk> {
  const signal = AbortSignal.timeout(30_000);
  const mounts: Disk['mounts'] = [];
  const seen = new Set<string>();
  for (const m of await env.host.mounts(signal)) {
    if (SKIP.has(m.fsType) || seen.has(m.mountPoint) || mounts.length >= 200) continue;
    seen.add(m.mountPoint);
    try {
      const u = await env.host.fsUsage(m.mountPoint, signal);
      if (u.totalBytes === 0) continue;
      const usedBytes = u.totalBytes - u.freeBytes;
      // As df: used / (used + available to users).
      const usedPct = round1((usedBytes / Math.max(1, usedBytes + u.availableBytes)) * 100);
      const inodesUsedPct = u.totalInodes > 0 ? round1(((u.totalInodes - u.freeInodes) / u.totalInodes) * 100) : undefined;
      mounts.push({ mount: m.mountPoint.slice(0, 1024), fstype: m.fsType.slice(0, 64), sizeBytes: u.totalBytes, usedBytes, usedPct: Math.min(100, usedPct), ...(inodesUsedPct === undefined ? {} : { inodesUsedPct }) });
    } catch {
      // unreadable mount (permissions, stale): skipped
    }
  }
  const logDirs: Disk['logDirs'] = [];
  let largest: WalkResult['largest'] = [];
  for (const dir of opts.logDirs.slice(0, 16)) {
    const w = await walk(dir, opts.largestFiles);
    logDirs.push({ path: dir.slice(0, 1024), bytes: w.bytes, files: w.files });
    largest = top([...largest, ...w.largest], opts.largestFiles);
  }
  const data = await walk(opts.dataDir, opts.largestFiles);
  largest = top([...largest, ...data.largest], opts.largestFiles);
  return {
    mounts,
    logDirs,
    largestFiles: largest,
    outbox: { bytes: data.bytes, ...(opts.outboxBatches === undefined ? {} : { batches: opts.outboxBatches }) },
  };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;
