import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

type Json = Record<string, unknown>;

describe('recurring-problem thresholds per customer over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ config: { tickets: { recurring: { month: 3, quarter: 5, year: 8 } } } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const req = async (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object, token = t.fx.engineer.token) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body === '' ? {} : res.json<Json>() };
  };
  const acme = () => t.fx.customers[0];

  test('a customer starts on the hub-wide thresholds', async () => {
    expect((await req('GET', `/api/customers/${acme().id}/recurring`)).body).toEqual({
      customerId: acme().id,
      thresholds: { month: 3, quarter: 5, year: 8 },
      defaults: { month: 3, quarter: 5, year: 8 },
      own: [],
    });
  });

  test('an engineer overrides one period, then another; null and DELETE go back to the defaults; each change is audited', async () => {
    const url = `/api/customers/${acme().id}/recurring`;
    expect((await req('PUT', url, { month: 2 })).body).toMatchObject({ thresholds: { month: 2, quarter: 5, year: 8 }, own: ['month'] });
    expect((await req('PUT', url, { year: 4 })).body).toMatchObject({ thresholds: { month: 2, quarter: 5, year: 4 }, own: ['month', 'year'] });
    expect((await req('PUT', url, { month: null })).body).toMatchObject({ thresholds: { month: 3, quarter: 5, year: 4 }, own: ['year'] });
    expect((await req('DELETE', url)).status).toBe(204);
    expect((await req('GET', url)).body).toMatchObject({ thresholds: { month: 3, quarter: 5, year: 8 }, own: [] });
    // The other customer never changed.
    expect((await req('GET', `/api/customers/${t.fx.customers[1].id}/recurring`)).body).toMatchObject({ own: [] });
    const actions = (await t.ctx.state.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);
    expect(actions).toEqual(['customer.recurring.set', 'customer.recurring.set', 'customer.recurring.set', 'customer.recurring.clear']);
  });

  test('bad counts are refused with the field named; customers read only their own and change nothing', async () => {
    const url = `/api/customers/${acme().id}/recurring`;
    const bad = await req('PUT', url, { month: 0 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/month/);
    expect((await req('PUT', url, {})).status).toBe(400);
    const viewer = acme().user.token;
    expect((await req('GET', url, undefined, viewer)).status).toBe(200);
    expect((await req('GET', `/api/customers/${t.fx.customers[1].id}/recurring`, undefined, viewer)).status).toBe(404);
    expect((await req('PUT', url, { month: 1 }, viewer)).status).toBe(403);
  });
});
