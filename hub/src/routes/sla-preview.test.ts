import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { at } from '../sla/testing.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const HOUR = 3_600_000;

describe('customer SLA contracts and deadline previews', () => {
  let t: TestApp;
  /** "Premium" on a Berlin office calendar: respond 2 business hours, on site 24 h, resolve 3 working days. */
  let premium: string;
  beforeEach(async () => {
    t = await createTestApp();
    const calendarId = (await req('POST', '/api/calendars', { name: 'Berlin office', timeZone: 'Europe/Berlin', holidays: ['2025-12-25', '2025-12-26'] })).body.id as string;
    premium = (await req('POST', '/api/sla-policies', { name: 'Premium', respondWithin: { hours: 2 }, resolveWithin: { workingDays: 3 }, calendarId })).body.id as string;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const req = async (method: Method, url: string, payload?: object, token = t.fx.engineer.token) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body === '' ? {} : res.json<Json>() };
  };
  const ids = (body: Json) => (body.items as { id: string }[]).map((i) => i.id);

  test('a customer without a contract of its own gets the default policy until one is set', async () => {
    const acme = t.fx.customers[0].id;
    expect((await req('GET', `/api/customers/${acme}/sla`)).body).toMatchObject({ customerId: acme, source: 'default', policy: { id: 'default' }, calendar: { id: 'default' } });
    const set = await req('PUT', `/api/customers/${acme}/sla`, { policyId: premium });
    expect(set).toMatchObject({ status: 200, body: { source: 'contract', policy: { id: premium, name: 'Premium' }, calendar: { timeZone: 'Europe/Berlin' } } });
    expect((await req('DELETE', `/api/customers/${acme}/sla`)).status).toBe(204);
    expect((await req('GET', `/api/customers/${acme}/sla`)).body).toMatchObject({ source: 'default' });
    const actions = await t.ctx.state.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'like', 'customer.sla.%').orderBy('id').execute();
    expect(actions).toEqual([
      { action: 'customer.sla.set', entity_id: acme },
      { action: 'customer.sla.clear', entity_id: acme },
    ]);
  });

  test('an unknown policy is a 400 naming body.policyId, and a policy under contract cannot be deleted', async () => {
    const acme = t.fx.customers[0].id;
    expect((await req('PUT', `/api/customers/${acme}/sla`, { policyId: 'nope' })).body).toMatchObject({ error: { code: 'validation', details: [{ field: 'body.policyId' }] } });
    await req('PUT', `/api/customers/${acme}/sla`, { policyId: premium });
    expect((await req('DELETE', `/api/sla-policies/${premium}`)).body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining(acme) } });
  });

  test('a customer user sees its own contract and policy only', async () => {
    const [acme, globex] = t.fx.customers;
    await req('PUT', `/api/customers/${acme.id}/sla`, { policyId: premium });
    expect((await req('GET', `/api/customers/${acme.id}/sla`, undefined, acme.user.token)).body).toMatchObject({ policy: { id: premium } });
    expect((await req('GET', `/api/customers/${globex.id}/sla`, undefined, acme.user.token)).status).toBe(404);
    expect(ids((await req('GET', '/api/sla-policies', undefined, acme.user.token)).body)).toEqual([premium]);
    expect(ids((await req('GET', '/api/sla-policies', undefined, globex.user.token)).body)).toEqual(['default']);
    expect((await req('GET', `/api/sla-policies/${premium}`, undefined, globex.user.token)).status).toBe(404);
    expect((await req('PUT', `/api/customers/${acme.id}/sla`, { policyId: 'default' }, acme.user.token)).status).toBe(403);
  });

  test('a preview gives the deadlines across a weekend and the clocks’ states at a given time', async () => {
    const res = await req('POST', '/api/sla/preview', { policyId: premium, openedAt: at('2025-03-07T17:00:00+01:00'), at: at('2025-03-08T10:00:00+01:00') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      respondBy: at('2025-03-10T09:00:00+01:00'),
      onSiteBy: at('2025-03-08T17:00:00+01:00'),
      resolveBy: at('2025-03-12T18:00:00+01:00'),
      clocks: {
        respond: { state: 'running', basis: 'business', remainingMs: HOUR, allowanceMs: 2 * HOUR },
        onSite: { state: 'running', basis: 'calendar', remainingMs: 7 * HOUR, warnAt: at('2025-03-08T12:12:00+01:00') },
        resolve: { state: 'running', startsAt: at('2025-03-07T17:00:00+01:00') },
      },
    });
  });

  test('a preview over Christmas skips the holidays, and milestones stop the clocks', async () => {
    const res = await req('POST', '/api/sla/preview', {
      policyId: premium,
      openedAt: at('2025-12-24T17:00:00+01:00'),
      milestones: { respondedAt: at('2025-12-29T08:30:00+01:00'), onSiteAt: at('2025-12-29T11:00:00+01:00') },
      at: at('2025-12-30T12:00:00+01:00'),
    });
    expect(res.body).toMatchObject({
      respondBy: at('2025-12-29T09:00:00+01:00'),
      clocks: { respond: { state: 'met', remainingMs: 30 * 60_000 }, onSite: { state: 'met-late' }, resolve: { state: 'running' } },
      resolveBy: at('2025-12-31T18:00:00+01:00'),
    });
  });

  test('without a policy the preview uses the caller’s contract, and another customer’s is hidden', async () => {
    const [acme, globex] = t.fx.customers;
    await req('PUT', `/api/customers/${acme.id}/sla`, { policyId: premium });
    const body = { openedAt: at('2025-03-07T17:00:00+01:00') };
    expect((await req('POST', '/api/sla/preview', body, acme.user.token)).body).toMatchObject({ policyId: premium });
    expect((await req('POST', '/api/sla/preview', body, globex.user.token)).body).toMatchObject({ policyId: 'default' });
    expect((await req('POST', '/api/sla/preview', { ...body, customerId: acme.id })).body).toMatchObject({ policyId: premium });
    expect((await req('POST', '/api/sla/preview', { ...body, policyId: premium }, globex.user.token)).status).toBe(404);
    expect((await req('POST', '/api/sla/preview', { ...body, customerId: acme.id }, globex.user.token)).status).toBe(404);
  });

  test('contradictory or impossible preview input is a 400 naming the field', async () => {
    const openedAt = at('2025-03-07T17:00:00+01:00');
    const both = await req('POST', '/api/sla/preview', { openedAt, policyId: premium, customerId: t.fx.customers[0].id });
    expect(both).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.customerId' }] } } });
    const early = await req('POST', '/api/sla/preview', { openedAt, milestones: { respondedAt: openedAt - 1 } });
    expect(early).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.milestones.respondedAt', message: 'must not be before openedAt' }] } } });
    const far = await req('POST', '/api/sla/preview', { openedAt, at: openedAt + 20 * 366 * 86_400_000 });
    expect(far).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.at' }] } } });
  });
});
