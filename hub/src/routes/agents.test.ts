import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ID_PATTERN } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hashSecret } from '../auth/secrets.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent } from '../test-utils/fixture.js';

interface Provisioned {
  agentId: string;
  secret: string;
  mqttUrl?: string;
  agent: Record<string, unknown>;
}

describe('agents', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ config: { http: { publicUrl: 'https://hub.example.com' } } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const provision = (name: string, siteId = t.fx.customers[0].siteId) =>
    t.app.inject({ method: 'POST', url: '/api/agents', headers: bearer(t.fx.engineer.token), payload: { name, siteId } });

  test('provisioning answers the id and a 256-bit secret once, and stores only its SHA-256', async () => {
    const res = await provision('Mall Wall #1');
    expect(res.statusCode).toBe(201);
    const body = res.json<Provisioned>();
    expect(body.agentId).toMatch(new RegExp(ID_PATTERN));
    expect(body.agentId).toMatch(/^mall-wall-1-[0-9a-f]{8}$/);
    expect(Buffer.from(body.secret, 'base64url')).toHaveLength(32);
    expect(body.mqttUrl).toBe('mqtt://hub.example.com:1883');
    expect(body.agent).toMatchObject({ id: body.agentId, name: 'Mall Wall #1', siteId: t.fx.customers[0].siteId, online: false, lastSeen: null, version: null });

    const row = await t.ctx.state.db.selectFrom('agents').selectAll().where('id', '=', body.agentId).executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashSecret(body.secret));
    expect(JSON.stringify(row)).not.toContain(body.secret);

    const again = await t.app.inject({ url: `/api/agents/${body.agentId}`, headers: bearer(t.fx.engineer.token) });
    expect(again.body).not.toContain(body.secret);
    expect(again.body).not.toContain(row.secret_hash);
  });

  test('the secret is nowhere in the state files', async () => {
    const { secret } = (await provision('Wall')).json<Provisioned>();
    for (const file of await readdir(t.ctx.dir)) {
      const bytes = await readFile(join(t.ctx.dir, file));
      expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
    }
  });

  test('provisioning onto a site that does not exist names the field', async () => {
    const res = await provision('Wall', 'no-such-site');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation', details: [{ field: 'body.siteId' }] } });
  });

  test('the list carries online, lastSeen and version', async () => {
    const seeded = await seedAgent(t.ctx, t.fx.customers[1].siteId, { id: 'live-one', online: true });
    const res = await t.app.inject({ url: `/api/agents?siteId=${t.fx.customers[1].siteId}`, headers: bearer(t.fx.admin.token) });
    expect(res.json()).toEqual({ items: [expect.objectContaining({ id: seeded.id, online: true, lastSeen: expect.any(Number), version: '1.0.0', revokedAt: null })] });
  });

  test('revoking sets revoked_at, emits agent-revoked and cannot be repeated', async () => {
    const { agentId } = (await provision('Wall')).json<Provisioned>();
    const emitted: string[] = [];
    t.ctx.bus.on('agent-revoked', (id) => emitted.push(id));
    const res = await t.app.inject({ method: 'POST', url: `/api/agents/${agentId}/revoke`, headers: bearer(t.fx.engineer.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: agentId, revokedAt: expect.any(Number), online: false });
    expect(emitted).toEqual([agentId]);
    const row = await t.ctx.state.db.selectFrom('agents').select('revoked_at').where('id', '=', agentId).executeTakeFirstOrThrow();
    expect(row.revoked_at).toEqual(expect.any(Number));
    const twice = await t.app.inject({ method: 'DELETE', url: `/api/agents/${agentId}`, headers: bearer(t.fx.engineer.token) });
    expect(twice.statusCode).toBe(409);
    expect(emitted).toHaveLength(1);
  });

  test('DELETE revokes too, and the revoked agent stays listed', async () => {
    const { agentId } = (await provision('Wall')).json<Provisioned>();
    const emitted: string[] = [];
    t.ctx.bus.on('agent-revoked', (id) => emitted.push(id));
    expect((await t.app.inject({ method: 'DELETE', url: `/api/agents/${agentId}`, headers: bearer(t.fx.admin.token) })).statusCode).toBe(200);
    expect(emitted).toEqual([agentId]);
    const revoked = await t.app.inject({ url: '/api/agents?revoked=true', headers: bearer(t.fx.admin.token) });
    expect(revoked.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toEqual([agentId]);
    const active = await t.app.inject({ url: '/api/agents?revoked=false', headers: bearer(t.fx.admin.token) });
    expect(active.json()).toEqual({ items: [] });
  });

  test('a site with an active agent cannot be deleted; once revoked, the site and agent go together', async () => {
    const siteId = t.fx.customers[0].siteId;
    const { agentId } = (await provision('Wall')).json<Provisioned>();
    const del = () => t.app.inject({ method: 'DELETE', url: `/api/sites/${siteId}`, headers: bearer(t.fx.admin.token) });
    expect((await del()).statusCode).toBe(409);
    await t.app.inject({ method: 'POST', url: `/api/agents/${agentId}/revoke`, headers: bearer(t.fx.admin.token) });
    expect((await del()).statusCode).toBe(204);
    expect(await t.ctx.state.db.selectFrom('agents').selectAll().where('id', '=', agentId).execute()).toEqual([]);
  });
});

describe('agent provisioning without a public URL', () => {
  test('answers no mqttUrl', async () => {
    const t = await createTestApp();
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/agents', headers: bearer(t.fx.admin.token), payload: { name: 'x', siteId: t.fx.customers[0].siteId } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).not.toHaveProperty('mqttUrl');
    } finally {
      await t.cleanup();
    }
  });
});
