/**
 * Releases: a signed manifest, checked against the registered release keys when it is
 * uploaded, then its artifact, streamed to a file under `<data.dir>/releases/` while its
 * SHA-256 and size are computed — never held in memory. A release whose artifact does not
 * match its manifest is refused and the file removed. Yanked releases are never sent again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReleaseError, verifySignedManifest, type ReleaseManifest, type SignedManifest } from '@ledwatch/protocols';
import type { HubContext } from '../context.js';
import type { ReleasesTable } from '../db/index.js';
import { HubError, conflict, invalid, notFound } from '../errors.js';
import type { ReleaseKeyService } from './keys.js';

export interface ReleaseView {
  id: string;
  kind: ReleaseManifest['kind'];
  name: string;
  version: string;
  sha256: string;
  size: number;
  /** true once the artifact is uploaded and matches the manifest. */
  ready: boolean;
  yankedAt: number | null;
  yankReason: string | null;
  createdAt: number;
  createdBy: string | null;
  manifest: ReleaseManifest;
}

export class ReleaseStore {
  readonly dir: string;

  constructor(
    private readonly ctx: HubContext,
    private readonly keys: ReleaseKeyService,
  ) {
    this.dir = join(ctx.config.data.dir, 'releases');
  }

  /** Stores a signed manifest after checking its signature; the artifact follows with {@link putArtifact}. */
  async create(signed: unknown, createdBy: string | null): Promise<ReleaseView> {
    let manifest: ReleaseManifest;
    try {
      manifest = verifySignedManifest(signed, await this.keys.trusted(), this.ctx.now());
    } catch (err) {
      if (err instanceof ReleaseError) throw new HubError('validation', `release refused (${err.code}): ${err.message}`, { details: [{ field: 'body.signed', message: err.code }] });
      throw err;
    }
    const { db } = this.ctx.state;
    const dup = await db.selectFrom('releases').select('id').where('name', '=', manifest.name).where('version', '=', manifest.version).executeTakeFirst();
    if (dup !== undefined) throw conflict(`${manifest.name} ${manifest.version} already exists as release ${dup.id}`);
    const id = `${manifest.name}-${manifest.version}`.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 100);
    await db
      .insertInto('releases')
      .values({
        id,
        kind: manifest.kind,
        name: manifest.name,
        version: manifest.version,
        signed: JSON.stringify(signed as SignedManifest),
        sha256: manifest.artifact.sha256,
        size: manifest.artifact.size,
        file: '',
        yanked_at: null,
        yank_reason: null,
        created_at: this.ctx.now(),
        created_by: createdBy,
      })
      .execute();
    return (await this.get(id)) as ReleaseView;
  }

  /** Streams the artifact to disk, hashing as it goes; refuses (and deletes) one that does not match. */
  async putArtifact(id: string, body: Readable): Promise<ReleaseView> {
    const row = await this.#row(id);
    if (row.file !== '') throw conflict(`release ${id} already has its artifact`);
    await mkdir(this.dir, { recursive: true });
    const file = `${id}.artifact`;
    const tmp = join(this.dir, `${file}.${randomBytes(4).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            if (size > row.size) throw invalid('body', `the artifact is larger than the ${row.size} bytes its manifest declares`);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp, { mode: 0o640 }),
      );
      if (size !== row.size) throw invalid('body', `the artifact has ${size} bytes, its manifest declares ${row.size} (size-mismatch)`);
      const sha = hash.digest('hex');
      if (sha !== row.sha256) throw invalid('body', `the artifact's SHA-256 ${sha} differs from the manifest's ${row.sha256} (checksum-mismatch)`);
      await rename(tmp, join(this.dir, file));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await this.ctx.state.db.updateTable('releases').set({ file }).where('id', '=', id).execute();
    return (await this.get(id)) as ReleaseView;
  }

  async list(): Promise<ReleaseView[]> {
    const rows = await this.ctx.state.db.selectFrom('releases').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toView);
  }

  async get(id: string): Promise<ReleaseView | undefined> {
    const row = await this.ctx.state.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  async signed(id: string): Promise<SignedManifest> {
    return JSON.parse((await this.#row(id)).signed) as SignedManifest;
  }

  async yank(id: string, reason: string | null): Promise<ReleaseView> {
    const row = await this.#row(id);
    if (row.yanked_at !== null) throw conflict(`release ${id} is already yanked`);
    await this.ctx.state.db.updateTable('releases').set({ yanked_at: this.ctx.now(), yank_reason: reason }).where('id', '=', id).execute();
    return (await this.get(id)) as ReleaseView;
  }

  /** Path and size of a ready artifact. */
  async artifact(id: string): Promise<{ path: string; size: number; sha256: string }> {
    const row = await this.#row(id);
    if (row.file === '') throw notFound('artifact of release', id);
    return { path: join(this.dir, row.file), size: row.size, sha256: row.sha256 };
  }

  async #row(id: string) {
    const row = await this.ctx.state.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('release', id);
    return row;
  }
}

function toView(row: ReleasesTable): ReleaseView {
  const signed = JSON.parse(row.signed) as SignedManifest;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    version: row.version,
    sha256: row.sha256,
    size: Number(row.size),
    ready: row.file !== '',
    yankedAt: row.yanked_at,
    yankReason: row.yank_reason,
    createdAt: row.created_at,
    createdBy: row.created_by,
    manifest: signed.manifest,
  };
}
