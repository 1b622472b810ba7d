/**
 * The offline release tooling of `ledwatch-hub` as a real process: a key pair, a rotation
 * announcement signed by the old key, and a signed release manifest that verifies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyKeyAnnouncement, keyIdOf, verifySignedManifest } from '@ledwatch/protocols';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSource } from '../support/processes.js';
import { tempDir } from '../support/services.js';

describe('ledwatch-hub keys and release sign', () => {
  const work = tempDir('release-cli');
  afterAll(() => work.cleanup());

  const hub = async (args: string[]): Promise<{ code: number | null; out: string }> => {
    const p = spawnSource('hub', args);
    const { code } = await p.exited;
    return { code, out: p.output() };
  };

  it('generates a key, rotates it and signs a release that verifies against the keys', async () => {
    const first = await hub(['keys', 'generate', '--out', join(work.dir, 'k1')]);
    expect(first.code).toBe(0);
    const publicKey = readFileSync(join(work.dir, 'k1', 'release-public.txt'), 'utf8').trim();
    expect(first.out).toContain(publicKey);
    expect((await hub(['keys', 'generate', '--out', join(work.dir, 'k1')])).code).toBe(2); // never overwrites a key

    const rotated = await hub(['keys', 'rotate', '--key', join(work.dir, 'k1', 'release-private.pem'), '--out', join(work.dir, 'k2'), '--transition-days', '7']);
    expect(rotated.code).toBe(0);
    const announcement = JSON.parse(readFileSync(join(work.dir, 'k2', 'announcement.json'), 'utf8')) as unknown;
    const trusted = applyKeyAnnouncement([{ publicKey, keyId: keyIdOf(publicKey) }], announcement, Date.now());
    expect(trusted).toHaveLength(2);

    const artifact = join(work.dir, 'player.tgz');
    writeFileSync(artifact, 'not really a tarball, but bytes to hash');
    const out = join(work.dir, 'signed.json');
    const signed = await hub(['release', 'sign', '--key', join(work.dir, 'k2', 'release-private.pem'), '--artifact', artifact, '--out', out, '--kind', 'site-package', '--name', 'player', '--release-version', '2.0.0']);
    expect(signed.code, signed.out).toBe(0);
    const manifest = verifySignedManifest(JSON.parse(readFileSync(out, 'utf8')) as unknown, trusted, Date.now());
    expect(manifest).toMatchObject({ kind: 'site-package', name: 'player', version: '2.0.0', artifact: { size: 39 }, install: [{ type: 'extract' }, { type: 'link-current' }] });

    const bad = await hub(['release', 'sign', '--key', join(work.dir, 'k2', 'release-private.pem'), '--artifact', artifact, '--out', out, '--kind', 'site-package', '--name', 'player']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/manifest is not valid.*version/);
  });
});
