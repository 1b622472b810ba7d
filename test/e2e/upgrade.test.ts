/**
 * Signed upgrades end to end: a real hub, real supervisors and agents in temp install
 * roots, and release artifacts that are this repository's agent, packed with a bumped
 * version (and once with an injected start-up crash).
 */
import { createReadStream, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { generateReleaseKeyPair, signManifest, type ReleaseManifest, type SignedManifest } from '@ledwatch/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseSign } from '../../hub/src/releases/cli.js';
import { buildAgent, installRoot, packAgent, type PackFaults } from '../support/agent-pack.js';
import { type TestHub, provisionAgent, startTestHub, writeAgentConfig } from '../support/hub.js';
import { type Spawned, spawnSource } from '../support/processes.js';
import { tempDir, waitFor } from '../support/services.js';

interface Rollout {
  id: string;
  state: string;
  currentWave: number;
  reason: string | null;
  waves: { index: number; total: number; succeeded: number; failed: number }[];
  targets: { agentId: string; wave: number; state: string; stage: string | null; errorCode: string | null; commandId: string | null }[];
}

const BASE = '0.1.0';

describe('signed upgrades with real agent processes', () => {
  const work = tempDir('e2e-upgrade');
  const key = generateReleaseKeyPair();
  const keyFile = join(work.dir, 'release-private.pem');
  let hub: TestHub;
  const agents: { id: string; secret: string; root: string; supervisor: Spawned }[] = [];

  beforeAll(async () => {
    buildAgent();
    writeFileSync(keyFile, key.privateKeyPem);
    hub = await startTestHub();
    expect((await hub.api('POST', '/api/keys', { publicKey: key.publicKey })).status).toBe(201);
    for (const name of ['alpha', 'bravo', 'charlie']) {
      const creds = await provisionAgent(hub, name);
      const root = join(work.dir, name, 'root');
      installRoot(root, BASE);
      const config = join(work.dir, name, 'agent.yaml');
      writeAgentConfig(config, creds, hub.mqttUrl, {
        dataDir: join(work.dir, name, 'data'),
        updates: { publicKeys: [key.publicKey] },
        devices: [{ id: 'host', kind: 'host', pollIntervalS: 5 }],
      });
      const supervisor = spawnSource('agent', ['supervise', '--config', config, '--root', root, '--log-level', 'warn']);
      agents.push({ id: creds.agentId, secret: creds.secret, root, supervisor });
    }
    for (const a of agents) await waitFor(`${a.id} online at ${BASE}`, () => version(a.id, BASE), 60_000, 250);
  }, 180_000);

  afterAll(async () => {
    for (const a of agents) a.supervisor.child.kill('SIGTERM');
    await Promise.all(agents.map((a) => a.supervisor.exited));
    await hub?.stop();
    work.cleanup();
  });

  async function version(agentId: string, want: string): Promise<true | undefined> {
    const res = await hub.api<{ online: boolean; version: string | null }>('GET', `/api/agents/${agentId}`);
    return res.body.online && res.body.version === want ? true : undefined;
  }

  /** Packs, signs (with the offline CLI code) and uploads a release; gives its id. */
  async function release(v: string, opts: PackFaults & { windowS?: number } = {}): Promise<{ id: string; signed: SignedManifest; artifact: string }> {
    const artifact = packAgent(work.dir, v, opts);
    const out = join(work.dir, `signed-${v}.json`);
    const signed = await releaseSign({ key: keyFile, artifact, out, kind: 'agent', version: v, healthWindowS: opts.windowS ?? 60 });
    const created = await hub.api<{ id: string }>('POST', '/api/releases', { signed: JSON.parse(readFileSync(out, 'utf8')) as unknown });
    expect(created.status).toBe(201);
    const put = await putFile(`${hub.url}/api/releases/${created.body.id}/artifact`, hub.adminToken, artifact);
    expect(put.status, put.text).toBe(200);
    return { id: created.body.id, signed, artifact };
  }

  async function rolloutUntil(id: string, done: (r: Rollout) => boolean, timeoutMs = 120_000): Promise<Rollout> {
    return waitFor(`rollout ${id}`, async () => {
      const r = (await hub.api<Rollout>('GET', `/api/rollouts/${id}`)).body;
      return done(r) ? r : undefined;
    }, timeoutMs, 500);
  }

  it('rolls a good release out in two waves, and every agent reports the new version', async () => {
    const { id } = await release('0.2.0');
    const created = await hub.api<Rollout>('POST', '/api/rollouts', {
      releaseId: id,
      targets: { agentIds: agents.map((a) => a.id) },
      waves: [{ name: 'canary', count: 1 }, { name: 'rest', percent: 100 }],
    });
    expect(created.status).toBe(201);
    expect(created.body.targets.filter((t) => t.state === 'sent')).toHaveLength(1);
    const done = await rolloutUntil(created.body.id, (r) => r.state !== 'running');
    expect(done.state).toBe('completed');
    expect(done.waves.map((w) => [w.total, w.succeeded])).toEqual([[1, 1], [2, 2]]);
    expect(done.targets.every((t) => t.stage === 'healthy')).toBe(true);
    for (const a of agents) {
      await waitFor(`${a.id} at 0.2.0`, () => version(a.id, '0.2.0'), 30_000, 250);
      expect(readdirSync(join(a.root, 'versions')).sort()).toEqual([BASE, '0.2.0']);
      expect(readdirSync(join(a.root, '..', 'data', 'updates'))).toEqual([]); // the artifact is removed once installed
    }
    const cmd = await hub.api<{ state: string; result: { version?: string } }>('GET', `/api/commands/${done.targets[0]?.commandId ?? ''}`);
    expect(cmd.body).toMatchObject({ state: 'succeeded', result: { version: '0.2.0' } });
  });

  it('rolls back every canary of a release that crashes at start, and aborts before wave two', async () => {
    const { id } = await release('0.3.0', { crashAtStart: true });
    const created = await hub.api<Rollout>('POST', '/api/rollouts', {
      releaseId: id,
      targets: { agentIds: agents.map((a) => a.id) },
      waves: [{ name: 'canary', count: 2 }, { percent: 100 }],
      failure: { maxFailures: 2, action: 'abort' },
    });
    expect(created.status).toBe(201);
    const done = await rolloutUntil(created.body.id, (r) => r.state !== 'running');
    expect(done.state).toBe('aborted');
    const canaries = done.targets.filter((t) => t.wave === 0);
    expect(canaries).toHaveLength(2);
    for (const t of canaries) {
      expect(t).toMatchObject({ state: 'failed', stage: 'rolled-back', errorCode: 'crashed-at-start' });
      const cmd = await hub.api<{ error: { message: string } }>('GET', `/api/commands/${t.commandId ?? ''}`);
      expect(cmd.body.error.message).toMatch(/^0\.3\.0 exited \(3\) before it reached the hub; back on 0\.2\.0$/);
    }
    const second = done.targets.filter((t) => t.wave === 1);
    expect(second.map((t) => [t.state, t.commandId])).toEqual([['cancelled', null]]);
    for (const a of agents) {
      await waitFor(`${a.id} back on 0.2.0`, () => version(a.id, '0.2.0'), 30_000, 250);
      expect(readlinkSync(join(a.root, 'current'))).toBe(join('versions', '0.2.0'));
    }
  });

  it('rolls back a release that starts but never reaches the hub when its health window ends', async () => {
    const [a] = agents;
    if (a === undefined) throw new Error('no agent');
    const { id } = await release('0.3.1', { hangAtStart: true, windowS: 5 });
    const created = await hub.api<Rollout>('POST', '/api/rollouts', { releaseId: id, targets: { agentIds: [a.id] } });
    expect(created.status).toBe(201);
    const done = await rolloutUntil(created.body.id, (r) => r.state !== 'running');
    expect(done.state).toBe('aborted');
    expect(done.targets[0]).toMatchObject({ state: 'failed', stage: 'rolled-back', errorCode: 'health-timeout' });
    await waitFor(`${a.id} back on 0.2.0`, () => version(a.id, '0.2.0'), 30_000, 250);
    expect(readlinkSync(join(a.root, 'current'))).toBe(join('versions', '0.2.0'));
  });

  it('refuses a replayed older manifest, an unsigned one and a tampered artifact with their codes', async () => {
    const [a] = agents;
    if (a === undefined) throw new Error('no agent');
    const send = async (params: Record<string, unknown>): Promise<{ state: string; error: { code: string } | null }> => {
      const cmd = await hub.ctx.commands.send(a.id, 'upgrade', params);
      return waitFor(`answer to ${cmd.id}`, async () => {
        const c = await hub.ctx.commands.get(cmd.id);
        return c !== undefined && ['rejected', 'failed', 'succeeded'].includes(c.state) ? c : undefined;
      }, 60_000, 250);
    };
    const urls = (rel: string) => ({ releaseId: rel, artifactUrl: `${hub.url}/api/releases/${rel}/artifact`, reportUrl: `${hub.url}/api/agent/cmd-results` });

    // An old release, validly signed once, replayed to an agent that runs 0.2.0.
    const old: ReleaseManifest = { ...(await hub.api<{ manifest: ReleaseManifest }>('GET', '/api/releases/ledwatch-agent-0.2.0')).body.manifest, version: '0.1.5' };
    expect(await send({ ...urls('ledwatch-agent-0.2.0'), signed: signManifest(old, key.privateKeyPem) })).toMatchObject({ state: 'rejected', error: { code: 'downgrade-refused' } });

    expect(await send({ ...urls('ledwatch-agent-0.2.0'), signed: { manifest: { ...old, version: '0.9.0' } } })).toMatchObject({ state: 'rejected', error: { code: 'signature-missing' } });

    // A good release whose stored artifact is altered after upload.
    const tampered = await release('0.4.0');
    const file = join(hub.dir, 'releases', `${tampered.id}.artifact`);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(100) ^ 0xff, 100);
    writeFileSync(file, bytes);
    expect(await send({ ...urls(tampered.id), signed: tampered.signed })).toMatchObject({ state: 'failed', error: { code: 'checksum-mismatch' } });
    await waitFor(`${a.id} still on 0.2.0`, () => version(a.id, '0.2.0'), 10_000, 250);
  });

  it('stops the agent cleanly when the supervisor gets SIGTERM', async () => {
    const c = agents[2];
    if (c === undefined) throw new Error('no agent');
    c.supervisor.child.kill('SIGTERM');
    expect(await c.supervisor.exited).toEqual({ code: 0, signal: null });
    const offline = await waitFor(`${c.id} offline`, async () => {
      const res = await hub.api<{ online: boolean }>('GET', `/api/agents/${c.id}`);
      return res.body.online ? undefined : res.body;
    }, 20_000, 250);
    expect(offline.online).toBe(false);
  });
});

/** Streams a file as the body of a PUT (application/octet-stream). */
function putFile(url: string, token: string, file: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': statSync(file).size } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}
