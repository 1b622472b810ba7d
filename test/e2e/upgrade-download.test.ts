/**
 * Artifact delivery from a real hub: an interrupted download resumes with a range request
 * and still verifies; and a site-package release installed by its declared steps through
 * the agent's updater, with its stages reported back to the hub.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateReleaseKeyPair, signManifest, type ReleaseManifest } from '@ledwatch/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../agent/src/log.js';
import { download, verifyFile } from '../../agent/src/updater/download.js';
import { TrustStore } from '../../agent/src/updater/trust.js';
import { Updater } from '../../agent/src/updater/updater.js';
import { type TestHub, provisionAgent, startTestHub } from '../support/hub.js';
import { tempDir, waitFor } from '../support/services.js';

describe('artifact delivery from a real hub', () => {
  const work = tempDir('e2e-download');
  const key = generateReleaseKeyPair();
  let hub: TestHub;
  let agent: { agentId: string; secret: string };

  beforeAll(async () => {
    hub = await startTestHub();
    expect((await hub.api('POST', '/api/keys', { publicKey: key.publicKey })).status).toBe(201);
    agent = await provisionAgent(hub, 'downloader');
  });
  afterAll(async () => {
    await hub?.stop();
    work.cleanup();
  });

  async function upload(m: ReleaseManifest, bytes: Buffer): Promise<string> {
    const created = await hub.api<{ id: string }>('POST', '/api/releases', { signed: signManifest(m, key.privateKeyPem) });
    expect(created.status).toBe(201);
    const res = await hub.app.inject({ method: 'PUT', url: `/api/releases/${created.body.id}/artifact`, headers: { authorization: `Bearer ${hub.adminToken}`, 'content-type': 'application/octet-stream' }, payload: bytes });
    expect(res.statusCode).toBe(200);
    return created.body.id;
  }

  const manifest = (over: Partial<ReleaseManifest> & Pick<ReleaseManifest, 'artifact'>): ReleaseManifest => ({
    schema: 1,
    kind: 'site-package',
    name: 'player',
    version: '1.0.0',
    compatibility: {},
    install: [{ type: 'extract' }, { type: 'link-current' }],
    healthCheck: { windowS: 30 },
    createdAt: Date.now(),
    ...over,
  });

  it('resumes an interrupted download where it stopped, and the result verifies', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = await upload(manifest({ name: 'big-blob', artifact: { sha256, size: bytes.length } }), bytes);
    const file = join(work.dir, 'big.bin');
    const o = { url: `${hub.url}/api/releases/${id}/artifact`, file, sha256, size: bytes.length, creds: { agentId: agent.agentId, secret: agent.secret } };

    const cut = new AbortController();
    await expect(download({ ...o, signal: cut.signal, onProgress: (have) => have > 1024 * 1024 && cut.abort() })).rejects.toThrow();
    const partial = statSync(`${file}.part`).size;
    expect(partial).toBeGreaterThanOrEqual(1024 * 1024);
    expect(partial).toBeLessThan(bytes.length);

    const second = await download(o);
    expect(second.resumedFrom).toBe(partial);
    await verifyFile(file, bytes.length, sha256);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('installs a site package by its declared steps and reports every stage to the hub', async () => {
    const stage = join(work.dir, 'pkg');
    mkdirSync(join(stage, 'bin'), { recursive: true });
    writeFileSync(join(stage, 'bin', 'player'), '#!/bin/sh\necho player 2.1.0\n');
    const tgz = join(work.dir, 'player.tgz');
    expect(spawnSync('tar', ['-czf', tgz, '-C', stage, '.']).status).toBe(0);
    const bytes = readFileSync(tgz);
    const m = manifest({ version: '2.1.0', artifact: { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }, healthCheck: { windowS: 30, file: 'bin/player' } });
    const id = await upload(m, bytes);
    const dataDir = join(work.dir, 'agent-data');
    mkdirSync(dataDir, { recursive: true });
    const log = silentLogger();
    const updater = new Updater({
      creds: { agentId: agent.agentId, secret: agent.secret },
      dataDir,
      root: undefined,
      version: '0.1.0',
      trust: await TrustStore.open(dataDir, [], log),
      log,
      requestRestart: () => undefined,
    });
    const cmd = await hub.ctx.commands.send(agent.agentId, 'upgrade', {});
    const params = { releaseId: id, signed: signManifest(m, key.privateKeyPem), artifactUrl: `${hub.url}/api/releases/${id}/artifact`, reportUrl: `${hub.url}/api/agent/cmd-results`, keys: [key.publicKey] };
    const first = await updater.handle({ id: cmd.id, type: 'upgrade', issuedAt: Date.now(), params });
    expect(first).toMatchObject({ state: 'accepted', stage: 'queued' });
    const done = await waitFor('site package installed', async () => {
      const c = await hub.ctx.commands.get(cmd.id);
      return c?.state === 'succeeded' || c?.state === 'failed' ? c : undefined;
    }, 30_000);
    expect(done.state).toBe('succeeded');
    expect(readlinkSync(join(dataDir, 'packages', 'player', 'current'))).toBe(join('versions', '2.1.0'));
    expect(existsSync(join(dataDir, 'packages', 'player', 'current', 'bin', 'player'))).toBe(true);
    // The first key came over the authenticated channel and is now kept.
    expect(JSON.parse(readFileSync(join(dataDir, 'release-keys.json'), 'utf8'))).toEqual([{ publicKey: key.publicKey, keyId: key.keyId }]);
    // The same manifest again is refused: already installed.
    const again = await updater.handle({ id: 'upgrade-again', type: 'upgrade', issuedAt: Date.now(), params });
    expect(again).toMatchObject({ state: 'rejected', error: { code: 'already-installed' } });

    // 2.2.0 lacks the file its health check names: installed, found unhealthy, rolled back.
    const broken = join(work.dir, 'broken.tgz');
    rmSync(join(stage, 'bin', 'player'));
    expect(spawnSync('tar', ['-czf', broken, '-C', stage, '.']).status).toBe(0);
    const bb = readFileSync(broken);
    const m2 = manifest({ version: '2.2.0', artifact: { sha256: createHash('sha256').update(bb).digest('hex'), size: bb.length }, healthCheck: { windowS: 30, file: 'bin/player' } });
    const id2 = await upload(m2, bb);
    const cmd2 = await hub.ctx.commands.send(agent.agentId, 'upgrade', {});
    const params2 = { releaseId: id2, signed: signManifest(m2, key.privateKeyPem), artifactUrl: `${hub.url}/api/releases/${id2}/artifact`, reportUrl: `${hub.url}/api/agent/cmd-results` };
    expect(await updater.handle({ id: cmd2.id, type: 'upgrade', issuedAt: Date.now(), params: params2 })).toMatchObject({ state: 'accepted' });
    const rolled = await waitFor('2.2.0 answered', async () => {
      const c = await hub.ctx.commands.get(cmd2.id);
      return c?.state === 'succeeded' || c?.state === 'failed' ? c : undefined;
    }, 30_000);
    expect(rolled).toMatchObject({ state: 'failed', error: { code: 'health-check-failed' } });
    expect(readlinkSync(join(dataDir, 'packages', 'player', 'current'))).toBe(join('versions', '2.1.0'));
  });
});
