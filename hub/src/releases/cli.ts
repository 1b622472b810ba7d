/**
 * Offline release tooling of `ledwatch-hub`: `keys generate`, `keys rotate` and
 * `release sign`. None of them needs the hub running or its database; the private key
 * never has to reach the hub.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  generateReleaseKeyPair,
  keyIdOf,
  publicKeyOfPrivate,
  ReleaseManifest,
  signKeyAnnouncement,
  signManifest,
  type InstallStep,
  type KeyAnnouncement,
  type SignedManifest,
} from '@ledwatch/protocols';
import { Compile } from 'typebox/compile';

export class ReleaseCliError extends Error {}

export const PRIVATE_KEY_FILE = 'release-private.pem';
export const PUBLIC_KEY_FILE = 'release-public.txt';

async function writeKeyPair(out: string): Promise<{ publicKey: string; keyId: string; privateKeyPem: string }> {
  const priv = join(out, PRIVATE_KEY_FILE);
  if (existsSync(priv)) throw new ReleaseCliError(`${priv} exists; choose another --out folder (a key is never overwritten)`);
  await mkdir(out, { recursive: true });
  const pair = generateReleaseKeyPair();
  await writeFile(priv, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(join(out, PUBLIC_KEY_FILE), `${pair.publicKey}\n`);
  return pair;
}

/** `keys generate --out <dir>`: a new Ed25519 key pair; prints the public key. */
export async function keysGenerate(out: string): Promise<string> {
  const pair = await writeKeyPair(out);
  return `${pair.publicKey}\nkey id ${pair.keyId}; private key in ${join(out, PRIVATE_KEY_FILE)} (keep it offline)\nregister the public key: POST /api/keys {"publicKey": "${pair.publicKey}"}\n`;
}

/** `keys rotate --key <old.pem> --out <dir> [--transition-days N]`: a new key announced by the old one. */
export async function keysRotate(oldKeyFile: string, out: string, transitionDays: number, now = Date.now()): Promise<string> {
  const oldPem = await readFile(oldKeyFile, 'utf8');
  const previousKeyId = keyIdOf(publicKeyOfPrivate(oldPem));
  const pair = await writeKeyPair(out);
  const announcement: KeyAnnouncement = signKeyAnnouncement(
    { publicKey: pair.publicKey, previousKeyId, previousValidUntil: now + transitionDays * 86_400_000, announcedAt: now },
    oldPem,
  );
  const file = join(out, 'announcement.json');
  await writeFile(file, `${JSON.stringify(announcement, null, 2)}\n`);
  return `${pair.publicKey}\nannouncement signed by ${previousKeyId} in ${file}; both keys accepted for ${transitionDays} days\nregister it: POST /api/keys {"announcement": <contents of ${file}>}\n`;
}

export interface SignOptions {
  key: string;
  artifact: string;
  out: string;
  /** JSON file with manifest fields (kind, name, version, compatibility, install, healthCheck, …). */
  manifest?: string;
  kind?: string;
  name?: string;
  version?: string;
  allowDowngradeFrom?: string[];
  healthWindowS?: number;
}

const DEFAULT_STEPS: Record<string, InstallStep[]> = {
  agent: [{ type: 'extract' }, { type: 'restart-agent' }],
  'site-package': [{ type: 'extract' }, { type: 'link-current' }],
};
const checkManifest = Compile(ReleaseManifest);

/** `release sign`: hashes the artifact (streaming), fills in the manifest and signs it. */
export async function releaseSign(o: SignOptions, now = Date.now()): Promise<SignedManifest> {
  const base = o.manifest === undefined ? {} : (JSON.parse(await readFile(o.manifest, 'utf8')) as Record<string, unknown>);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(o.artifact)) hash.update(chunk as Buffer);
  const size = (await stat(o.artifact)).size;
  const kind = o.kind ?? (base.kind as string | undefined) ?? 'agent';
  const manifest = {
    schema: 1,
    kind,
    name: o.name ?? base.name ?? (kind === 'agent' ? 'ledwatch-agent' : undefined),
    version: o.version ?? base.version,
    compatibility: base.compatibility ?? {},
    install: base.install ?? DEFAULT_STEPS[kind],
    healthCheck: o.healthWindowS !== undefined ? { windowS: o.healthWindowS } : (base.healthCheck ?? { windowS: 120 }),
    ...(base.notes !== undefined ? { notes: base.notes } : {}),
    ...((o.allowDowngradeFrom ?? base.allowDowngradeFrom) !== undefined ? { allowDowngradeFrom: o.allowDowngradeFrom ?? base.allowDowngradeFrom } : {}),
    artifact: { sha256: hash.digest('hex'), size, fileName: basename(o.artifact).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) },
    createdAt: now,
  };
  if (!checkManifest.Check(manifest)) {
    const issues = [...checkManifest.Errors(manifest)].slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new ReleaseCliError(`the manifest is not valid: ${issues.join('; ')} (give --kind, --name and --version, or a --manifest file)`);
  }
  const signed = signManifest(manifest, await readFile(o.key, 'utf8'));
  await writeFile(o.out, `${JSON.stringify(signed, null, 2)}\n`);
  return signed;
}
