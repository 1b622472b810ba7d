import { createHash } from 'node:crypto';
import { generateReleaseKeyPair, signKeyAnnouncement, signManifest, type ReleaseManifest } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent } from '../test-utils/fixture.js';
import { releaseServices } from '../releases/index.js';

const ARTIFACT = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
const SHA = createHash('sha256').update(ARTIFACT).digest('hex');

function manifest(over: Partial<ReleaseManifest> = {}): ReleaseManifest {
  return {
    schema: 1,
    kind: 'agent',
    name: 'ledwatch-agent',
    version: '2.0.0',
    artifact: { sha256: SHA, size: ARTIFACT.length },
    compatibility: { os: ['linux'] },
    install: [{ type: 'extract' }, { type: 'restart-agent' }],
    healthCheck: { windowS: 60 },
    createdAt: Date.now(),
    ...over,
  };
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });

describe('releases, artifacts and rollouts', () => {
  let t: TestApp;
  let clock = Date.now();
  const key = generateReleaseKeyPair();
  beforeEach(async () => {
    clock = Date.now();
    t = await createTestApp({ now: () => clock });
    const res = await t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(t.fx.admin.token), payload: { publicKey: key.publicKey } });
    expect(res.statusCode).toBe(201);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const upload = async (m: ReleaseManifest, artifact = ARTIFACT) => {
    const created = await t.app.inject({ method: 'POST', url: '/api/releases', headers: bearer(t.fx.engineer.token), payload: { signed: signManifest(m, key.privateKeyPem) } });
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    const put = await t.app.inject({ method: 'PUT', url: `/api/releases/${id}/artifact`, headers: { ...bearer(t.fx.engineer.token), 'content-type': 'application/octet-stream' }, payload: artifact });
    return { id, put };
  };

  test('a second first key is refused: rotation needs an announcement signed by the current key', async () => {
    const other = generateReleaseKeyPair();
    const res = await t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(t.fx.admin.token), payload: { publicKey: other.publicKey } });
    expect(res.statusCode).toBe(409);
  });

  test('an unsigned manifest and one signed by an unknown key are refused with their codes', async () => {
    const unsigned = await t.app.inject({ method: 'POST', url: '/api/releases', headers: bearer(t.fx.engineer.token), payload: { signed: { manifest: manifest() } } });
    expect(unsigned.statusCode).toBe(400);
    expect(unsigned.json<{ error: { message: string } }>().error.message).toContain('signature-missing');
    const stranger = generateReleaseKeyPair();
    const foreign = await t.app.inject({ method: 'POST', url: '/api/releases', headers: bearer(t.fx.engineer.token), payload: { signed: signManifest(manifest(), stranger.privateKeyPem) } });
    expect(foreign.json<{ error: { message: string } }>().error.message).toContain('unknown-key');
  });

  test('an artifact that does not match its manifest is refused and not kept', async () => {
    const tampered = Buffer.from(ARTIFACT);
    tampered.writeUInt8(tampered.readUInt8(10) ^ 1, 10);
    const { id, put } = await upload(manifest(), tampered);
    expect(put.statusCode).toBe(400);
    expect(put.body).toContain('checksum-mismatch');
    const got = await t.app.inject({ url: `/api/releases/${id}`, headers: bearer(t.fx.engineer.token) });
    expect(got.json<{ ready: boolean }>().ready).toBe(false);
  });

  test('agents download the artifact with their credentials, resuming with range requests', async () => {
    const { id, put } = await upload(manifest());
    expect(put.statusCode).toBe(200);
    const agent = await seedAgent(t.ctx, t.fx.customers[0].siteId);
    const anon = await t.app.inject({ url: `/api/releases/${id}/artifact` });
    expect(anon.statusCode).toBe(401);
    const wrong = await t.app.inject({ url: `/api/releases/${id}/artifact`, headers: basic(agent.id, 'nope') });
    expect(wrong.statusCode).toBe(401);
    const full = await t.app.inject({ url: `/api/releases/${id}/artifact`, headers: basic(agent.id, agent.secret) });
    expect(full.statusCode).toBe(200);
    expect(full.rawPayload.equals(ARTIFACT)).toBe(true);
    expect(full.headers['accept-ranges']).toBe('bytes');
    const part = await t.app.inject({ url: `/api/releases/${id}/artifact`, headers: { ...basic(agent.id, agent.secret), range: 'bytes=4000-' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4000-4999/5000`);
    expect(part.rawPayload.equals(ARTIFACT.subarray(4000))).toBe(true);
    const past = await t.app.inject({ url: `/api/releases/${id}/artifact`, headers: { ...basic(agent.id, agent.secret), range: 'bytes=5000-' } });
    expect(past.statusCode).toBe(416);
    const stale = await t.app.inject({ url: `/api/releases/${id}/artifact`, headers: { ...basic(agent.id, agent.secret), range: 'bytes=4000-', 'if-range': '"other"' } });
    expect(stale.statusCode).toBe(200);
  });

  test('a rollout skips incompatible agents with the reason and advances waves on healthy results', async () => {
    const { id } = await upload(manifest());
    const site = t.fx.customers[0].siteId;
    const agents = [];
    for (let i = 0; i < 4; i++) agents.push(await seedAgent(t.ctx, site, { id: `a${i}` }));
    await t.ctx.state.db.updateTable('agents').set({ platform: 'linux-x64', version: '1.0.0' }).execute();
    await t.ctx.state.db.updateTable('agents').set({ platform: 'win32-x64' }).where('id', '=', 'a3').execute();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/rollouts',
      headers: bearer(t.fx.engineer.token),
      payload: { releaseId: id, targets: { siteIds: [site] }, waves: [{ name: 'canary', count: 1 }, { percent: 100 }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ro = res.json<{ id: string; skipped: { agentId: string; reason: string }[]; targets: { agentId: string; wave: number; state: string; commandId: string | null }[] }>();
    expect(ro.skipped).toEqual([{ agentId: 'a3', reason: 'os win32 is not one of linux' }]);
    expect(ro.targets.filter((x) => x.state === 'sent').map((x) => x.agentId)).toEqual(['a0']);
    const canary = ro.targets.find((x) => x.agentId === 'a0');
    const cmd = await t.ctx.commands.get(canary?.commandId ?? '');
    expect(cmd?.params).toMatchObject({ releaseId: id, keys: [key.publicKey] });
    expect(String(cmd?.params?.artifactUrl)).toMatch(new RegExp(`/api/releases/${id}/artifact$`));

    const report = (agentId: string, secret: string, commandId: string, state: string, stage: string) =>
      t.app.inject({ method: 'POST', url: '/api/agent/cmd-results', headers: basic(agentId, secret), payload: { id: commandId, type: 'upgrade', state, stage, at: Date.now() } });
    expect((await report('a0', agents[0]!.secret, canary!.commandId!, 'running', 'downloading')).statusCode).toBe(204);
    expect((await report('a0', agents[0]!.secret, canary!.commandId!, 'succeeded', 'healthy')).statusCode).toBe(204);
    const after = (await t.app.inject({ url: `/api/rollouts/${ro.id}`, headers: bearer(t.fx.engineer.token) })).json<{ currentWave: number; targets: { agentId: string; state: string; stage: string }[] }>();
    expect(after.currentWave).toBe(1);
    expect(after.targets.filter((x) => x.state === 'sent').map((x) => x.agentId)).toEqual(['a1', 'a2']);
    expect(after.targets.find((x) => x.agentId === 'a0')).toMatchObject({ state: 'succeeded', stage: 'healthy' });
  });

  test('a failed canary aborts the rollout before the next wave', async () => {
    const { id } = await upload(manifest());
    const site = t.fx.customers[0].siteId;
    const a0 = await seedAgent(t.ctx, site, { id: 'b0' });
    await seedAgent(t.ctx, site, { id: 'b1' });
    const res = await t.app.inject({ method: 'POST', url: '/api/rollouts', headers: bearer(t.fx.engineer.token), payload: { releaseId: id, targets: { agentIds: ['b0', 'b1'] } } });
    const ro = res.json<{ id: string; targets: { agentId: string; commandId: string | null }[] }>();
    const commandId = ro.targets.find((x) => x.agentId === 'b0')?.commandId ?? '';
    await t.app.inject({
      method: 'POST',
      url: '/api/agent/cmd-results',
      headers: basic(a0.id, a0.secret),
      payload: { id: commandId, type: 'upgrade', state: 'failed', stage: 'rolled-back', at: Date.now(), error: { code: 'health-timeout', message: 'never came up' } },
    });
    const after = (await t.app.inject({ url: `/api/rollouts/${ro.id}`, headers: bearer(t.fx.engineer.token) })).json<{ state: string; targets: { agentId: string; state: string; errorCode: string | null }[] }>();
    expect(after.state).toBe('aborted');
    expect(after.targets).toEqual(expect.arrayContaining([expect.objectContaining({ agentId: 'b0', state: 'failed', errorCode: 'health-timeout' }), expect.objectContaining({ agentId: 'b1', state: 'cancelled' })]));
  });

  test('a rotated key is registered with an announcement signed by the old one; both are valid for the transition', async () => {
    const next = generateReleaseKeyPair();
    const until = Date.now() + 86_400_000;
    const announcement = signKeyAnnouncement({ publicKey: next.publicKey, previousKeyId: key.keyId, previousValidUntil: until, announcedAt: Date.now() }, key.privateKeyPem);
    const forged = signKeyAnnouncement({ publicKey: next.publicKey, previousKeyId: key.keyId, previousValidUntil: until, announcedAt: Date.now() }, next.privateKeyPem);
    expect((await t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(t.fx.admin.token), payload: { announcement: forged } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/keys', headers: bearer(t.fx.admin.token), payload: { announcement } })).statusCode).toBe(201);
    const keys = (await t.app.inject({ url: '/api/keys', headers: bearer(t.fx.engineer.token) })).json<{ items: { keyId: string; validUntil: number | null }[] }>().items;
    expect(keys).toEqual([expect.objectContaining({ keyId: key.keyId, validUntil: until }), expect.objectContaining({ keyId: next.keyId, validUntil: null })]);
    const res = await t.app.inject({ method: 'POST', url: '/api/releases', headers: bearer(t.fx.engineer.token), payload: { signed: signManifest(manifest({ version: '3.0.0' }), next.privateKeyPem) } });
    expect(res.statusCode).toBe(201);
  });

  test('a rollout can be paused, resumed and cancelled; cancelling stops the waves not yet sent', async () => {
    const { id } = await upload(manifest());
    const site = t.fx.customers[1].siteId;
    for (const n of ['c0', 'c1', 'c2']) await seedAgent(t.ctx, site, { id: n });
    const ro = (await t.app.inject({ method: 'POST', url: '/api/rollouts', headers: bearer(t.fx.engineer.token), payload: { releaseId: id, targets: { customerIds: [t.fx.customers[1].id] } } })).json<{ id: string }>();
    const act = (a: string) => t.app.inject({ method: 'POST', url: `/api/rollouts/${ro.id}/${a}`, headers: bearer(t.fx.engineer.token) });
    expect((await act('pause')).json<{ state: string }>().state).toBe('paused');
    expect((await act('pause')).statusCode).toBe(409);
    expect((await act('resume')).json<{ state: string }>().state).toBe('running');
    const cancelled = (await act('cancel')).json<{ state: string; targets: { agentId: string; state: string }[] }>();
    expect(cancelled.state).toBe('cancelled');
    // c0 was offline: its command had not gone out, so it is withdrawn too.
    expect(cancelled.targets.map((x) => x.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const c0 = (await t.app.inject({ url: '/api/agents/c0/commands', headers: bearer(t.fx.engineer.token) })).json<{ items: { state: string }[] }>().items;
    expect(c0.map((c) => c.state)).toEqual(['expired']);
    expect((await t.app.inject({ method: 'POST', url: `/api/releases/${id}/yank`, headers: bearer(t.fx.engineer.token), payload: { reason: 'bad build' } })).json<{ yankedAt: number | null }>().yankedAt).not.toBeNull();
    const again = await t.app.inject({ method: 'POST', url: '/api/rollouts', headers: bearer(t.fx.engineer.token), payload: { releaseId: id, targets: { siteIds: [site] } } });
    expect(again.statusCode).toBe(409);
  });

  test('an agent that stays silent past stageTimeoutS fails with no-answer and its undelivered command is withdrawn', async () => {
    const { id } = await upload(manifest());
    await seedAgent(t.ctx, t.fx.customers[0].siteId, { id: 'quiet' });
    const ro = (await t.app.inject({ method: 'POST', url: '/api/rollouts', headers: bearer(t.fx.engineer.token), payload: { releaseId: id, targets: { agentIds: ['quiet'] }, stageTimeoutS: 60 } })).json<{ id: string }>();
    clock += 61_000;
    await releaseServices(t.ctx).rollouts.tick();
    const after = (await t.app.inject({ url: `/api/rollouts/${ro.id}`, headers: bearer(t.fx.engineer.token) })).json<{ state: string; targets: { state: string; errorCode: string; commandId: string }[] }>();
    expect(after.state).toBe('aborted');
    expect(after.targets[0]).toMatchObject({ state: 'failed', errorCode: 'no-answer' });
    expect((await t.ctx.commands.get(after.targets[0]!.commandId))?.state).toBe('expired');
  });

  test('failed agent logins are rate-limited', async () => {
    const { id } = await upload(manifest());
    const agent = await seedAgent(t.ctx, t.fx.customers[0].siteId);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await t.app.inject({ url: `/api/releases/${id}/artifact`, headers: basic(agent.id, 'wrong') })).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});
