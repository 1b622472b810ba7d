import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

interface AuditItem {
  id: number;
  action: string;
  entity: string;
  entityId: string | null;
  actorUserId: string | null;
  actorTokenId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

describe('audit log over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const call = async (token: string, method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), remoteAddress: '192.0.2.7', ...(payload ? { payload } : {}) });
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.statusCode === 204 ? {} : res.json<Record<string, unknown>>();
  };

  test('every change is recorded with its actor, and no secret, password or token appears in it', async () => {
    const { admin, engineer } = t.fx;
    const secrets: string[] = [admin.token, engineer.token, t.fx.password];

    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: engineer.email, password: t.fx.password }, remoteAddress: '192.0.2.7' });
    const session = login.json<{ token: string }>().token;
    secrets.push(session);
    const customer = await call(session, 'POST', '/api/customers', { name: 'Initech' });
    const site = await call(session, 'POST', '/api/sites', { customerId: customer.id as string, name: 'Lobby', timezone: 'Europe/Berlin' });
    await call(session, 'PATCH', `/api/sites/${String(site.id)}`, { address: 'Main St 1' });
    const contact = await call(session, 'POST', '/api/contacts', { customerId: customer.id as string, name: 'Pat', email: 'pat@initech.example' });
    await call(session, 'DELETE', `/api/contacts/${String(contact.id)}`);
    const agent = await call(session, 'POST', '/api/agents', { name: 'Lobby wall', siteId: site.id as string });
    secrets.push(agent.secret as string);
    await call(session, 'POST', `/api/agents/${String(agent.agentId)}/revoke`);
    const token = await call(engineer.token, 'POST', '/api/tokens', { name: 'grafana' });
    secrets.push(token.token as string);
    await call(engineer.token, 'DELETE', `/api/tokens/${String(token.id)}`);
    const user = await call(admin.token, 'POST', '/api/users', { email: 'new@ledwatch.example', role: 'engineer', password: 'first-password-1' });
    secrets.push('first-password-1');
    await call(admin.token, 'PATCH', `/api/users/${String(user.id)}`, { password: 'second-password-2', name: 'New Person' });
    secrets.push('second-password-2');
    await call(session, 'POST', '/api/auth/password', { currentPassword: t.fx.password, newPassword: 'third-password-3' });
    secrets.push('third-password-3');
    await call(session, 'POST', '/api/auth/logout');

    const res = await t.app.inject({ url: '/api/audit?limit=100', headers: bearer(admin.token) });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: AuditItem[] }>().items;
    expect(items.map((i) => i.action).reverse()).toEqual([
      'auth.login',
      'customer.create',
      'site.create',
      'site.update',
      'contact.create',
      'contact.delete',
      'agent.provision',
      'agent.revoke',
      'token.create',
      'token.revoke',
      'user.create',
      'user.update',
      'auth.password-change',
      'auth.logout',
    ]);
    for (const item of items) {
      expect(item.actorUserId, item.action).toEqual(expect.any(String));
      expect(item.actorTokenId, item.action).toEqual(expect.any(String));
      expect(item.ip, item.action).toBe('192.0.2.7');
    }
    expect(items.find((i) => i.action === 'agent.provision')).toMatchObject({ entity: 'agent', entityId: agent.agentId, actorUserId: engineer.id });
    expect(items.find((i) => i.action === 'user.create')).toMatchObject({ actorUserId: admin.id, actorTokenId: admin.tokenId, details: { password: '[redacted]' } });

    const everything = JSON.stringify(await t.ctx.state.db.selectFrom('audit_log').selectAll().execute());
    for (const s of secrets) expect(everything.includes(s), 'a secret leaked into the audit log').toBe(false);
  });

  test('filters by entity, actor and time, and pages newest first', async () => {
    for (const name of ['A', 'B', 'C']) await call(t.fx.engineer.token, 'POST', '/api/customers', { name });
    await call(t.fx.admin.token, 'POST', '/api/customers', { name: 'D' });
    const get = async (qs: string) => (await t.app.inject({ url: `/api/audit?${qs}`, headers: bearer(t.fx.admin.token) })).json<{ items: AuditItem[]; next: number | null }>();

    const byEngineer = await get(`entity=customer&actor=${t.fx.engineer.id}`);
    expect(byEngineer.items.map((i) => i.details?.name)).toEqual(['C', 'B', 'A']);
    const first = await get('entity=customer&limit=2');
    expect(first.items.map((i) => i.details?.name)).toEqual(['D', 'C']);
    const second = await get(`entity=customer&limit=2&before=${String(first.next)}`);
    expect(second).toMatchObject({ items: [{ details: { name: 'B' } }, { details: { name: 'A' } }], next: null });
    expect((await get(`since=${Date.now() + 60_000}`)).items).toEqual([]);
  });

  test('is for admins only and validates its query', async () => {
    expect((await t.app.inject({ url: '/api/audit', headers: bearer(t.fx.engineer.token) })).statusCode).toBe(403);
    const bad = await t.app.inject({ url: '/api/audit?limit=0', headers: bearer(t.fx.admin.token) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation', details: [{ field: 'querystring.limit' }] } });
  });
});
