/**
 * The install root of a supervised agent: every version side by side, and the `current`
 * and `previous` pointers (symlinks switched atomically by renaming a fresh link over
 * the old one). Dependencies are not in the version folders: Node resolves them from
 * `<root>/node_modules`, which the install script fills once (see agent/deploy/README.md).
 *
 *   <root>/versions/0.2.0/{package.json,bin/,dist/}
 *   <root>/current  -> versions/0.2.0
 *   <root>/previous -> versions/0.1.0
 *   <root>/pending.json   an upgrade on trial: the supervisor watches its health window
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ROOT_ENV = 'LEDWATCH_AGENT_ROOT';

export interface PendingUpgrade {
  cmdId: string;
  reportUrl: string;
  from: string;
  to: string;
  /** ms since the epoch when the new version must have connected. */
  deadline: number;
  windowS: number;
}

export function versionDir(root: string, version: string): string {
  return join(root, 'versions', version);
}

/** The version a pointer (`current`, `previous`) names, or undefined. */
export async function pointer(root: string, name: 'current' | 'previous'): Promise<string | undefined> {
  try {
    const target = await readlink(join(root, name));
    const m = /(?:^|\/)versions\/([^/]+)\/?$/.exec(target);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** Points `name` at a version atomically: a new link renamed over the old one. */
export async function setPointer(root: string, name: 'current' | 'previous', version: string): Promise<void> {
  const tmp = join(root, `.${name}.${randomBytes(4).toString('hex')}`);
  await symlink(join('versions', version), tmp);
  await rename(tmp, join(root, name));
}

export async function readPending(root: string): Promise<PendingUpgrade | undefined> {
  try {
    return JSON.parse(await readFile(join(root, 'pending.json'), 'utf8')) as PendingUpgrade;
  } catch {
    return undefined;
  }
}

export async function writePending(root: string, p: PendingUpgrade): Promise<void> {
  const file = join(root, 'pending.json');
  await writeFile(`${file}.tmp`, `${JSON.stringify(p, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function clearPending(root: string): Promise<void> {
  await rm(join(root, 'pending.json'), { force: true });
}

/** Written by a supervised agent when it has connected to the hub: the supervisor's health signal. */
export interface HealthMark {
  version: string;
  pid: number;
  connectedAt: number;
}

export function healthFile(root: string): string {
  return join(root, 'health.json');
}

export async function writeHealth(root: string, mark: HealthMark): Promise<void> {
  const file = healthFile(root);
  await writeFile(`${file}.${mark.pid}.tmp`, JSON.stringify(mark));
  await rename(`${file}.${mark.pid}.tmp`, file);
}

export async function readHealth(root: string): Promise<HealthMark | undefined> {
  try {
    return JSON.parse(await readFile(healthFile(root), 'utf8')) as HealthMark;
  } catch {
    return undefined;
  }
}

/** Removes every version folder but the ones named (current and previous after a healthy upgrade). */
export async function pruneVersions(root: string, keep: readonly (string | undefined)[]): Promise<string[]> {
  const removed: string[] = [];
  for (const v of await readdir(join(root, 'versions')).catch(() => [] as string[])) {
    if (keep.includes(v)) continue;
    await rm(join(root, 'versions', v), { recursive: true, force: true });
    removed.push(v);
  }
  return removed;
}
