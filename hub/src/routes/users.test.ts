import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

type Json = Record<string, unknown>;

describe('users and API tokens', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const req = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = t.fx.admin.token) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body === '' ? {} : res.json<Json>() };
  };

  test('an admin creates a user who can then sign in; the password is never echoed', async () => {
    const res = await req('POST', '/api/users', { email: 'Kim@LedWatch.example', name: 'Kim', role: 'engineer', password: 'kims-password' });
    expect(res).toMatchObject({ status: 201, body: { email: 'kim@ledwatch.example', role: 'engineer', hasPassword: true, disabled: false, customerId: null } });
    expect(JSON.stringify(res.body)).not.toContain('kims-password');
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'kim@ledwatch.example', password: 'kims-password' } });
    expect(login.statusCode).toBe(200);
  });

  test('a customer user needs an existing customer; other roles may not have one', async () => {
    expect(await req('POST', '/api/users', { email: 'c@x.example', role: 'customer' })).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.customerId' }] } } });
    expect((await req('POST', '/api/users', { email: 'c@x.example', role: 'customer', customerId: 'ghost' })).status).toBe(400);
    expect((await req('POST', '/api/users', { email: 'e@x.example', role: 'engineer', customerId: t.fx.customers[0].id })).status).toBe(400);
    expect((await req('POST', '/api/users', { email: 'c@x.example', role: 'customer', customerId: t.fx.customers[0].id })).status).toBe(201);
  });

  test('updating a role to engineer drops the customer link', async () => {
    const viewer = t.fx.customers[0].user;
    expect((await req('PATCH', `/api/users/${viewer.id}`, { role: 'engineer' })).body).toMatchObject({ role: 'engineer', customerId: null });
  });

  test('admins cannot demote, disable or delete themselves', async () => {
    const me = t.fx.admin.id;
    expect((await req('PATCH', `/api/users/${me}`, { role: 'engineer' })).status).toBe(409);
    expect((await req('PATCH', `/api/users/${me}`, { disabled: true })).status).toBe(409);
    expect((await req('DELETE', `/api/users/${me}`)).status).toBe(409);
    expect((await req('PATCH', `/api/users/${me}`, { name: 'Root' })).body).toMatchObject({ name: 'Root' });
  });

  test('deleting a user removes their tokens', async () => {
    expect((await req('DELETE', `/api/users/${t.fx.engineer.id}`)).status).toBe(204);
    expect((await req('GET', '/api/sites', undefined, t.fx.engineer.token)).status).toBe(401);
    expect((await req('GET', '/api/users')).body.items).toHaveLength(3);
  });

  test('a token is shown once at creation, listed without its value, and can be revoked by its owner', async () => {
    const viewer = t.fx.customers[0].user;
    const created = await req('POST', '/api/tokens', { name: 'bms-integration', expiresInDays: 30 }, viewer.token);
    expect(created).toMatchObject({ status: 201, body: { name: 'bms-integration', kind: 'api', userId: viewer.id, token: expect.stringMatching(/^lwt_/) } });
    const value = created.body.token as string;
    expect((await req('GET', '/api/sites', undefined, value)).status).toBe(200);

    const listed = await req('GET', '/api/tokens', undefined, viewer.token);
    expect((listed.body.items as Json[]).map((i) => i.name).sort()).toEqual(['bms-integration', 'fixture']);
    expect(JSON.stringify(listed.body)).not.toContain(value);

    expect((await req('DELETE', `/api/tokens/${String(created.body.id)}`, undefined, t.fx.customers[1].user.token)).status).toBe(404);
    expect((await req('DELETE', `/api/tokens/${String(created.body.id)}`, undefined, viewer.token)).status).toBe(204);
    expect((await req('GET', '/api/sites', undefined, value)).status).toBe(401);
    const withRevoked = await req('GET', '/api/tokens?includeRevoked=true', undefined, viewer.token);
    expect(withRevoked.body.items).toHaveLength(2);
  });

  test('only admins list or revoke other users’ tokens', async () => {
    expect((await req('GET', `/api/tokens?userId=${t.fx.admin.id}`, undefined, t.fx.engineer.token)).status).toBe(403);
    const theirs = await req('GET', `/api/tokens?userId=${t.fx.engineer.id}`);
    expect(theirs.body).toMatchObject({ items: [{ id: t.fx.engineer.tokenId }] });
    expect((await req('DELETE', `/api/tokens/${t.fx.engineer.tokenId}`)).status).toBe(204);
  });
});
