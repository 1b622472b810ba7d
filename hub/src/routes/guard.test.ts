import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

describe('authentication guard', () => {
  let t: TestApp;
  let now = Date.parse('2025-06-01T08:00:00Z');
  beforeEach(async () => {
    now = Date.parse('2025-06-01T08:00:00Z');
    t = await createTestApp({ now: () => now, config: { auth: { sessionTtlHours: 1 } } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  test('a request without a token gets 401 with the error shape', async () => {
    for (const url of ['/api/sites', '/api/agents', '/api/users', '/api/audit', '/metrics', '/api/no-such-route']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  test('a garbage token, a non-bearer scheme and an empty bearer are all 401', async () => {
    for (const authorization of ['Bearer lwt_not-a-real-token', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer ', t.fx.admin.token]) {
      const res = await get('/api/sites', { authorization });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  test('a session stops working when it expires', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: t.fx.engineer.email, password: t.fx.password } });
    const { token } = login.json<{ token: string }>();
    expect((await get('/api/sites', bearer(token))).statusCode).toBe(200);
    now += 3_600_000;
    const res = await get('/api/sites', bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('unauthorized');
  });

  test('a revoked token is refused', async () => {
    const del = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${t.fx.engineer.tokenId}`, headers: bearer(t.fx.engineer.token) });
    expect(del.statusCode).toBe(204);
    expect((await get('/api/sites', bearer(t.fx.engineer.token))).statusCode).toBe(401);
  });

  test('the tokens of a disabled user are refused', async () => {
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/users/${t.fx.engineer.id}`, headers: bearer(t.fx.admin.token), payload: { disabled: true } });
    expect(patch.statusCode).toBe(200);
    expect((await get('/api/sites', bearer(t.fx.engineer.token))).statusCode).toBe(401);
  });

  test('health, the OpenAPI document and the docs page need no token', async () => {
    const health = await get('/api/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), uptimeS: expect.any(Number) });
    expect((await get('/api/openapi.json')).statusCode).toBe(200);
    const docs = await get('/api/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('Swagger UI');
    const css = await get('/api/docs/static/swagger-ui.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
  });

  test('the OpenAPI document lists the routes and marks the public ones', async () => {
    const doc = (await get('/api/openapi.json')).json<{ openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/health', '/api/auth/login', '/api/agents', '/api/agents/{id}', '/api/sites/{id}', '/api/customers', '/api/contacts', '/api/devices', '/api/users', '/api/tokens', '/api/audit']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(doc.paths['/api/health']?.get?.security).toEqual([]);
    expect(Object.keys(doc.paths['/api/agents'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']));
  });

  test('an unknown /api route with a valid token is a JSON 404', async () => {
    const res = await get('/api/nothing-here', bearer(t.fx.admin.token));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'not-found', message: 'no route GET /api/nothing-here' } });
  });

  test('token use is recorded at most once a minute', async () => {
    const lastUsed = async () =>
      (await t.ctx.state.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', t.fx.admin.tokenId).executeTakeFirstOrThrow()).last_used_at;
    await get('/api/sites', bearer(t.fx.admin.token));
    const first = await lastUsed();
    expect(first).toBe(now);
    now += 30_000;
    await get('/api/sites', bearer(t.fx.admin.token));
    expect(await lastUsed()).toBe(first);
    now += 30_000;
    await get('/api/sites', bearer(t.fx.admin.token));
    expect(await lastUsed()).toBe(now);
  });
});

describe('GET /metrics', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('needs a token, refuses customers and serves Prometheus text to engineers', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/metrics', headers: bearer(t.fx.customers[0].user.token) })).statusCode).toBe(403);
    const res = await t.app.inject({ url: '/metrics', headers: bearer(t.fx.engineer.token) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(t.ctx.metrics.registry.contentType);
    expect(res.body).toMatch(/^# HELP /);
    expect(res.body).toContain('# TYPE ledwatch_http_login_failures_total counter');
  });
});

describe('route declarations', () => {
  test('a route under /api without an access level is refused at registration', async () => {
    const t = await createTestApp();
    try {
      expect(() => t.app.get('/api/forgotten', async () => ({}))).toThrow(/declares no config.access/);
      expect(() => t.app.get('/api/declared', { config: { access: 'read' } }, async () => ({}))).not.toThrow();
    } finally {
      await t.cleanup();
    }
  });
});
