/**
 * Artifact download with resume: bytes go to `<file>.part`; a later attempt asks for the
 * rest with `Range: bytes=<have>-` and `If-Range: "<sha256>"` (the hub's ETag), so a
 * changed artifact is sent whole instead of spliced. Streams to disk, never into memory.
 * Verifying size and SHA-256 is separate ({@link verifyFile}).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream/promises';
import { ReleaseError } from '@ledwatch/protocols';
import { basicAuth, type Credentials } from './report.js';

export interface DownloadOptions {
  url: string;
  file: string;
  sha256: string;
  size: number;
  creds: Credentials;
  signal?: AbortSignal;
  /** Called with bytes on disk so far. */
  onProgress?: (have: number) => void;
}

export class DownloadError extends Error {
  readonly code = 'download-failed';
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/** Downloads (or resumes) into `file`; resolves when `file` holds `size` bytes. */
export async function download(o: DownloadOptions): Promise<{ resumedFrom: number }> {
  if ((await sizeOf(o.file)) === o.size) return { resumedFrom: o.size };
  const part = `${o.file}.part`;
  let have = await sizeOf(part);
  if (have > o.size) {
    await rm(part, { force: true });
    have = 0;
  }
  const resumedFrom = have;
  if (have < o.size) {
    const res = await get(o, have > 0 ? { range: `bytes=${have}-`, 'if-range': `"${o.sha256}"` } : {});
    if (res.statusCode === 200) have = 0;
    else if (res.statusCode !== 206) {
      res.resume();
      throw new DownloadError(`the hub answered ${res.statusCode ?? 0} for ${o.url}`);
    }
    const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w' });
    let got = have;
    res.on('data', (c: Buffer) => {
      got += c.length;
      o.onProgress?.(got);
    });
    await pipeline(res, out, o.signal ? { signal: o.signal } : {});
  }
  await rename(part, o.file);
  return { resumedFrom };
}

function get(o: DownloadOptions, headers: Record<string, string>): Promise<IncomingMessage> {
  const u = new URL(o.url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(u, {
      headers: { ...headers, authorization: basicAuth(o.creds) },
      timeout: 30_000,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.creds.ca ? { ca: o.creds.ca } : {}),
      ...(o.creds.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
    });
    req.on('response', resolve);
    req.on('timeout', () => req.destroy(new DownloadError('no data from the hub for 30 s')));
    req.on('error', reject);
    req.end();
  });
}

/** Checks a downloaded file against the signed manifest: size, then SHA-256. */
export async function verifyFile(file: string, size: number, sha256: string): Promise<void> {
  const actual = await sizeOf(file);
  if (actual !== size) throw new ReleaseError('size-mismatch', `the artifact has ${actual} bytes, the signed manifest says ${size}`, 'the download was cut or the artifact replaced; it is downloaded again next time');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const got = hash.digest('hex');
  if (got !== sha256) throw new ReleaseError('checksum-mismatch', `the artifact's SHA-256 ${got} differs from the signed ${sha256}`, 'the artifact was altered on the hub or on the way; upload it again');
}
