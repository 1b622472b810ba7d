import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent, seedDevice } from '../test-utils/fixture.js';

describe('customer users see only their own customer', () => {
  let t: TestApp;
  let own: { agent: string; device: number };
  let other: { agent: string; device: number };
  beforeEach(async () => {
    t = await createTestApp();
    const [acme, globex] = t.fx.customers;
    const a = await seedAgent(t.ctx, acme.siteId, { id: 'acme-agent' });
    const b = await seedAgent(t.ctx, globex.siteId, { id: 'globex-agent' });
    own = { agent: a.id, device: await seedDevice(t.ctx, { agentId: a.id, deviceId: 'card-1', kind: 'novastar' }) };
    other = { agent: b.id, device: await seedDevice(t.ctx, { agentId: b.id, deviceId: 'card-1', kind: 'novastar' }) };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const asAcme = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(t.fx.customers[0].user.token), ...(payload ? { payload } : {}) });

  test('another customer’s site, customer, agent and device answer 404', async () => {
    const globex = t.fx.customers[1];
    for (const url of [`/api/sites/${globex.siteId}`, `/api/customers/${globex.id}`, `/api/customers/${globex.id}/sites`, `/api/agents/${other.agent}`, `/api/devices/${other.device}`]) {
      const res = await asAcme('GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code, url).toBe('not-found');
    }
  });

  test('its own site, customer, agent and device are readable', async () => {
    const acme = t.fx.customers[0];
    for (const url of [`/api/sites/${acme.siteId}`, `/api/customers/${acme.id}`, `/api/agents/${own.agent}`, `/api/devices/${own.device}`]) {
      expect((await asAcme('GET', url)).statusCode, url).toBe(200);
    }
  });

  test('lists hold only its own customer, sites, agents and devices', async () => {
    const ids = async (url: string) => (await asAcme('GET', url)).json<{ items: { id: string | number }[] }>().items.map((i) => i.id);
    expect(await ids('/api/customers')).toEqual([t.fx.customers[0].id]);
    expect(await ids('/api/sites')).toEqual([t.fx.customers[0].siteId]);
    expect(await ids(`/api/sites?customerId=${t.fx.customers[1].id}`)).toEqual([]);
    expect(await ids('/api/agents')).toEqual([own.agent]);
    expect(await ids('/api/devices')).toEqual([own.device]);
    expect(await ids(`/api/devices?agentId=${other.agent}`)).toEqual([]);
  });

  test('every mutation is 403, whether the target is its own or not', async () => {
    const [acme, globex] = t.fx.customers;
    const attempts: [method: 'POST' | 'PATCH' | 'DELETE', url: string, body?: object][] = [
      ['POST', '/api/customers', { name: 'x' }],
      ['PATCH', `/api/customers/${acme.id}`, { name: 'x' }],
      ['DELETE', `/api/customers/${acme.id}`],
      ['POST', '/api/sites', { customerId: acme.id, name: 'x' }],
      ['PATCH', `/api/sites/${acme.siteId}`, { name: 'x' }],
      ['PATCH', `/api/sites/${globex.siteId}`, { name: 'x' }],
      ['DELETE', `/api/sites/${acme.siteId}`],
      ['POST', '/api/contacts', { customerId: acme.id, name: 'x' }],
      ['POST', '/api/agents', { name: 'x', siteId: acme.siteId }],
      ['POST', `/api/agents/${own.agent}/revoke`],
      ['DELETE', `/api/agents/${own.agent}`],
      ['POST', '/api/users', { email: 'x@y.example', role: 'admin' }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await asAcme(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('forbidden');
    }
    const audit = await t.ctx.state.db.selectFrom('audit_log').selectAll().execute();
    expect(audit).toEqual([]);
  });

  test('users and the audit log are out of reach', async () => {
    expect((await asAcme('GET', '/api/users')).statusCode).toBe(403);
    expect((await asAcme('GET', '/api/audit')).statusCode).toBe(403);
  });
});

describe('engineers', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('cannot create, list or change users', async () => {
    const headers = bearer(t.fx.engineer.token);
    const create = await t.app.inject({ method: 'POST', url: '/api/users', headers, payload: { email: 'new@ledwatch.example', role: 'engineer' } });
    expect(create.statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/users', headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/users/${t.fx.engineer.id}`, headers, payload: { role: 'admin' } })).statusCode).toBe(403);
  });

  test('can manage operational data', async () => {
    const headers = bearer(t.fx.engineer.token);
    const res = await t.app.inject({ method: 'POST', url: '/api/customers', headers, payload: { name: 'Initech' } });
    expect(res.statusCode).toBe(201);
  });
});
