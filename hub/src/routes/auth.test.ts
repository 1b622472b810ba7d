import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hashSecret } from '../auth/secrets.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

const START = Date.parse('2025-06-01T08:00:00Z');

describe('sign-in', () => {
  let t: TestApp;
  let now = START;
  beforeEach(async () => {
    now = START;
    t = await createTestApp({ now: () => now, config: { auth: { loginMaxAttempts: 3, rateLimitWindowS: 60, sessionTtlHours: 2 } } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress });

  test('the right password yields a session token, stored only as its SHA-256', async () => {
    const res = await login(t.fx.engineer.email.toUpperCase(), t.fx.password);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; expiresAt: number; user: Record<string, unknown> }>();
    expect(body.expiresAt).toBe(START + 2 * 3_600_000);
    expect(body.user).toMatchObject({ id: t.fx.engineer.id, role: 'engineer', email: t.fx.engineer.email, hasPassword: true });
    expect(body.user).not.toHaveProperty('password_hash');
    const row = await t.ctx.state.db.selectFrom('api_tokens').selectAll().where('kind', '=', 'session').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: t.fx.engineer.id, token_hash: hashSecret(body.token), expires_at: body.expiresAt });
    const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(body.token) });
    expect(me.json()).toMatchObject({ user: { id: t.fx.engineer.id }, token: { id: row.id, kind: 'session' } });
  });

  test('a wrong password and an unknown email fail alike with 401', async () => {
    const wrong = await login(t.fx.engineer.email, 'not the password');
    const unknown = await login('nobody@example.com', 'not the password');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toEqual({ error: { code: 'unauthorized', message: 'wrong email or password' } });
    const failures = await t.ctx.metrics.httpLoginFailures.get();
    expect(failures.values[0]?.value).toBe(2);
  });

  test('a disabled user cannot sign in', async () => {
    await t.ctx.state.db.updateTable('users').set({ disabled: 1 }).where('id', '=', t.fx.engineer.id).execute();
    expect((await login(t.fx.engineer.email, t.fx.password)).statusCode).toBe(401);
  });

  test('after N failures for one email the next attempt is 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await login(t.fx.engineer.email, `guess-${i}`)).statusCode).toBe(401);
    const limited = await login(t.fx.engineer.email, t.fx.password, '10.9.9.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.json<{ error: { code: string } }>().error.code).toBe('rate-limited');
    now += 61_000;
    expect((await login(t.fx.engineer.email, t.fx.password)).statusCode).toBe(200);
  });

  test('failures from one address are limited across emails', async () => {
    for (const email of ['a@x.example', 'b@x.example', 'c@x.example']) expect((await login(email, 'nope', '10.1.1.1')).statusCode).toBe(401);
    expect((await login(t.fx.admin.email, t.fx.password, '10.1.1.1')).statusCode).toBe(429);
    expect((await login(t.fx.admin.email, t.fx.password, '10.2.2.2')).statusCode).toBe(200);
  });

  test('a successful sign-in clears the email’s failures', async () => {
    await login(t.fx.engineer.email, 'wrong-1');
    await login(t.fx.engineer.email, 'wrong-2');
    expect((await login(t.fx.engineer.email, t.fx.password)).statusCode).toBe(200);
    await login(t.fx.engineer.email, 'wrong-3', '10.3.3.3');
    await login(t.fx.engineer.email, 'wrong-4', '10.3.3.3');
    expect((await login(t.fx.engineer.email, t.fx.password, '10.4.4.4')).statusCode).toBe(200);
  });

  test('logout revokes the session; an API token cannot log out', async () => {
    const { token } = (await login(t.fx.admin.email, t.fx.password)).json<{ token: string }>();
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(token) });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode).toBe(401);
    const api = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { ...bearer(t.fx.admin.token), 'content-type': 'application/json' }, payload: '' });
    expect(api.statusCode).toBe(409);
  });

  test('changing one’s password needs the current one and signs out the other sessions', async () => {
    const a = (await login(t.fx.engineer.email, t.fx.password)).json<{ token: string }>().token;
    const b = (await login(t.fx.engineer.email, t.fx.password)).json<{ token: string }>().token;
    const change = (currentPassword: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/password', headers: bearer(a), payload: { currentPassword, newPassword: 'a brand new passphrase' } });
    expect((await change('wrong')).statusCode).toBe(401);
    expect((await change(t.fx.password)).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(a) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(b) })).statusCode).toBe(401);
    expect((await login(t.fx.engineer.email, t.fx.password)).statusCode).toBe(401);
    expect((await login(t.fx.engineer.email, 'a brand new passphrase')).statusCode).toBe(200);
  });
});
