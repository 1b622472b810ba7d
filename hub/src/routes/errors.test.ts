import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

describe('error responses', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const post = (url: string, payload: string | object, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url, headers: { ...bearer(t.fx.admin.token), 'content-type': contentType }, payload });

  test('a schema violation is 400 validation naming each failing field', async () => {
    const res = await post('/api/sites', { name: 42, colour: 'red' });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; message: string; details: { field: string; message: string }[] } }>();
    expect(body.error.code).toBe('validation');
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'body.customerId', message: 'is required' },
        { field: 'body.name', message: expect.stringContaining('string') },
        { field: 'body.colour', message: 'is not an accepted field' },
      ]),
    );
    expect(body.error.message).toContain('body.customerId is required');
  });

  test('an enum violation lists the allowed values', async () => {
    const res = await post('/api/users', { email: 'x@y.example', role: 'overlord' });
    expect(res.json()).toMatchObject({ error: { code: 'validation', details: [{ field: 'body.role', message: 'must be one of admin, engineer, customer' }] } });
  });

  test('a malformed email and a bad path parameter are named too', async () => {
    const email = await post('/api/users', { email: 'not-an-email', role: 'engineer' });
    expect(email.json()).toMatchObject({ error: { details: [{ field: 'body.email' }] } });
    const param = await t.app.inject({ url: '/api/devices/abc', headers: bearer(t.fx.admin.token) });
    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({ error: { code: 'validation', details: [{ field: 'params.id' }] } });
  });

  test('malformed JSON is 400, not a crash', async () => {
    for (const raw of ['{"name": ', '{bad json}', '[1,2', '\u0000']) {
      const res = await post('/api/customers', raw);
      expect(res.statusCode, raw).toBe(400);
      expect(res.json(), raw).toEqual({ error: { code: 'validation', message: 'request body is not valid JSON' } });
    }
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });

  test('a JSON body that is not an object, or none at all, fails validation', async () => {
    for (const raw of ['"text"', '17', 'null', '']) {
      const res = await post('/api/customers', raw);
      expect(res.statusCode, raw).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, raw).toBe('validation');
    }
  });

  test('prototype-poisoning bodies are refused', async () => {
    const res = await post('/api/customers', '{"name":"x","__proto__":{"admin":true}}');
    expect(res.statusCode).toBe(400);
  });

  test('an unsupported content type is 415 with the error shape', async () => {
    const res = await post('/api/customers', 'name=x', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('validation');
  });

  test('an unknown id is 404 not-found and a duplicate is 409 conflict', async () => {
    const missing = await t.app.inject({ url: '/api/customers/nope', headers: bearer(t.fx.admin.token) });
    expect(missing.json()).toEqual({ error: { code: 'not-found', message: 'customer nope not found' } });
    const dup = await post('/api/users', { email: t.fx.engineer.email, role: 'engineer' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<{ error: { code: string } }>().error.code).toBe('conflict');
  });
});
