import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

type Json = Record<string, unknown>;

describe('customers, sites and contacts', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const req = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = t.fx.engineer.token) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body === '' ? {} : res.json<Json>() };
  };

  test('a customer can be created, read, renamed, and deleted once it has no sites', async () => {
    const created = await req('POST', '/api/customers', { name: 'Initech', language: 'de' });
    expect(created).toMatchObject({ status: 201, body: { name: 'Initech', language: 'de', id: expect.any(String) } });
    const id = created.body.id as string;
    expect((await req('GET', `/api/customers/${id}`)).body).toMatchObject({ id, name: 'Initech' });
    expect((await req('PATCH', `/api/customers/${id}`, { name: 'Initech AG' })).body).toMatchObject({ name: 'Initech AG', language: 'de' });
    const site = await req('POST', '/api/sites', { customerId: id, name: 'Lobby' });
    expect((await req('DELETE', `/api/customers/${id}`)).status).toBe(409);
    expect((await req('DELETE', `/api/sites/${String(site.body.id)}`)).status).toBe(204);
    expect((await req('DELETE', `/api/customers/${id}`)).status).toBe(204);
    expect((await req('GET', `/api/customers/${id}`)).status).toBe(404);
  });

  test('a site defaults to UTC, checks its time zone, and lists under its customer', async () => {
    const acme = t.fx.customers[0];
    const site = await req('POST', '/api/sites', { customerId: acme.id, name: 'Food court', address: 'Level 2' });
    expect(site).toMatchObject({ status: 201, body: { customerId: acme.id, timezone: 'UTC', address: 'Level 2' } });
    const bad = await req('PATCH', `/api/sites/${String(site.body.id)}`, { timezone: 'Mars/Olympus' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation', details: [{ field: 'body.timezone' }] } } });
    expect((await req('PATCH', `/api/sites/${String(site.body.id)}`, { timezone: 'Asia/Shanghai', address: null })).body).toMatchObject({ timezone: 'Asia/Shanghai', address: null });
    const listed = await req('GET', `/api/customers/${acme.id}/sites`);
    expect((listed.body.items as Json[]).map((s) => s.name)).toEqual(['Acme Malls HQ wall', 'Food court']);
    expect((await req('POST', '/api/sites', { customerId: 'ghost', name: 'x' })).status).toBe(400);
  });

  test('an empty patch is a validation error', async () => {
    const res = await req('PATCH', `/api/sites/${t.fx.customers[0].siteId}`, {});
    expect(res.status).toBe(400);
  });

  test('contacts belong to a customer and optionally one of its sites', async () => {
    const [acme, globex] = t.fx.customers;
    const c = await req('POST', '/api/contacts', { customerId: acme.id, siteId: acme.siteId, name: 'Dana', email: 'dana@acme.example', role: 'facility manager' });
    expect(c).toMatchObject({ status: 201, body: { customerId: acme.id, siteId: acme.siteId, phone: null } });
    const wrongSite = await req('POST', '/api/contacts', { customerId: acme.id, siteId: globex.siteId, name: 'Eve' });
    expect(wrongSite).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.siteId' }] } } });
    const id = c.body.id as string;
    expect((await req('PATCH', `/api/contacts/${id}`, { siteId: null, phone: '+49 30 1234' })).body).toMatchObject({ siteId: null, phone: '+49 30 1234', name: 'Dana' });
    expect((await req('GET', `/api/customers/${acme.id}/contacts`)).body).toMatchObject({ items: [{ id }] });
    expect((await req('GET', `/api/contacts?customerId=${globex.id}`)).body).toEqual({ items: [] });
    expect((await req('GET', `/api/contacts/${id}`, undefined, acme.user.token)).status).toBe(200);
    expect((await req('GET', `/api/contacts/${id}`, undefined, globex.user.token)).status).toBe(404);
    expect((await req('DELETE', `/api/contacts/${id}`)).status).toBe(204);
    expect((await req('GET', `/api/contacts/${id}`)).status).toBe(404);
  });
});
