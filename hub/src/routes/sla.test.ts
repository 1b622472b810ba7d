import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

type Json = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const BERLIN = { name: 'Berlin office', timeZone: 'Europe/Berlin', holidays: ['2025-12-25', '2025-12-26'] };

describe('business calendars and SLA policies over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const req = async (method: Method, url: string, payload?: object, token = t.fx.engineer.token) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body === '' ? {} : res.json<Json>() };
  };
  const fields = (body: Json) => ((body.error as { details?: { field: string }[] }).details ?? []).map((d) => d.field);
  const auditActions = async () => (await t.ctx.state.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((r) => r.action);

  test('the built-in calendar and policy are there from the start', async () => {
    expect((await req('GET', '/api/calendars/default')).body).toMatchObject({ timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], hours: { start: '08:00', end: '18:00' }, builtIn: true });
    expect((await req('GET', '/api/sla-policies/default')).body).toMatchObject({
      respondWithin: { hours: 4, calendar: 'business' },
      onSiteWithin: { hours: 24, calendar: 'calendar' },
      resolveWithin: { workingDays: 5 },
      warnBeforePct: 20,
      calendarId: 'default',
    });
  });

  test('a calendar is created with Monday–Friday 08:00–18:00 defaults, changed, and deleted, each change audited', async () => {
    const created = await req('POST', '/api/calendars', BERLIN);
    expect(created).toMatchObject({ status: 201, body: { ...BERLIN, workingDays: [1, 2, 3, 4, 5], hours: { start: '08:00', end: '18:00' }, weekdayHours: {}, twentyFourSeven: false, builtIn: false } });
    const id = created.body.id as string;
    const saturday = { workingDays: [6, 1, 2, 3, 4, 5], weekdayHours: { 6: { start: '09:00', end: '13:00' } } };
    expect((await req('PATCH', `/api/calendars/${id}`, saturday)).body).toMatchObject({ workingDays: [1, 2, 3, 4, 5, 6], weekdayHours: { 6: { start: '09:00', end: '13:00' } }, name: 'Berlin office' });
    expect((await req('DELETE', `/api/calendars/${id}`)).status).toBe(204);
    expect((await req('GET', `/api/calendars/${id}`)).status).toBe(404);
    expect(await auditActions()).toEqual(['calendar.create', 'calendar.update', 'calendar.delete']);
  });

  test('an unknown time zone is a 400 naming body.timeZone', async () => {
    const res = await req('POST', '/api/calendars', { ...BERLIN, timeZone: 'Europe/Atlantis' });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'validation', details: [{ field: 'body.timeZone', message: expect.stringContaining('IANA') }] } } });
  });

  test('closing before opening and impossible holidays are reported together, field by field', async () => {
    const res = await req('POST', '/api/calendars', { ...BERLIN, hours: { start: '18:00', end: '08:00' }, holidays: ['2025-12-25', '2025-02-30'] });
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(['body.hours.end', 'body.holidays.1']);
  });

  test('a holiday or an hour in another notation is refused with the notation to use', async () => {
    const res = await req('POST', '/api/calendars', { ...BERLIN, hours: { start: '8:00', end: '18:00' }, holidays: ['25.12.2025'] });
    expect(res).toMatchObject({
      status: 400,
      body: {
        error: {
          code: 'validation',
          details: [
            { field: 'body.hours.start', message: '"8:00" is not a time HH:MM between 00:00 and 23:59' },
            { field: 'body.holidays.0', message: '"25.12.2025" is not a date YYYY-MM-DD' },
          ],
        },
      },
    });
  });

  test('a patch is checked against the calendar it produces', async () => {
    const id = (await req('POST', '/api/calendars', BERLIN)).body.id as string;
    const res = await req('PATCH', `/api/calendars/${id}`, { hours: { start: '08:00', end: '07:00' } });
    expect(fields(res.body)).toEqual(['body.hours.end']);
    expect((await req('GET', `/api/calendars/${id}`)).body).toMatchObject({ hours: { start: '08:00', end: '18:00' } });
  });

  test('a policy takes the standard values for what it leaves out, and needs an existing calendar', async () => {
    const calendarId = (await req('POST', '/api/calendars', BERLIN)).body.id as string;
    const created = await req('POST', '/api/sla-policies', { name: 'Premium', respondWithin: { hours: 2 }, resolveWithin: { workingDays: 3 }, calendarId });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'Premium', respondWithin: { hours: 2, calendar: 'business' }, onSiteWithin: { hours: 24, calendar: 'calendar' }, resolveWithin: { workingDays: 3 }, warnBeforePct: 20, calendarId },
    });
    const id = created.body.id as string;
    expect((await req('PATCH', `/api/sla-policies/${id}`, { onSiteWithin: { hours: 12 } })).body).toMatchObject({ onSiteWithin: { hours: 12, calendar: 'calendar' }, respondWithin: { hours: 2 } });
    const missing = await req('POST', '/api/sla-policies', { name: 'Ghost', calendarId: 'no-such-calendar' });
    expect(missing).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.calendarId' }] } } });
    expect(await auditActions()).toEqual(['calendar.create', 'sla-policy.create', 'sla-policy.update']);
  });

  test('policy allowances must be positive and the warning share a percentage', async () => {
    const res = await req('POST', '/api/sla-policies', { name: 'Bad', respondWithin: { hours: 0 }, warnBeforePct: 120 });
    expect(res.status).toBe(400);
    expect(fields(res.body).sort()).toEqual(['body.respondWithin.hours', 'body.warnBeforePct']);
  });

  test('a calendar in use by a policy, and the built-in ones, cannot be deleted', async () => {
    const calendarId = (await req('POST', '/api/calendars', BERLIN)).body.id as string;
    const policyId = (await req('POST', '/api/sla-policies', { name: 'Premium', calendarId })).body.id as string;
    expect((await req('DELETE', `/api/calendars/${calendarId}`)).body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining(policyId) } });
    expect((await req('DELETE', '/api/calendars/default')).status).toBe(409);
    expect((await req('DELETE', '/api/sla-policies/default')).status).toBe(409);
    expect((await req('DELETE', `/api/sla-policies/${policyId}`)).status).toBe(204);
    expect((await req('DELETE', `/api/calendars/${calendarId}`)).status).toBe(204);
  });

  test('customer users read calendars but change nothing', async () => {
    const token = t.fx.customers[0].user.token;
    expect((await req('GET', '/api/calendars', undefined, token)).body).toMatchObject({ items: [{ id: 'default' }] });
    expect((await req('POST', '/api/calendars', BERLIN, token)).status).toBe(403);
    expect((await req('PATCH', '/api/calendars/default', { name: 'x' }, token)).status).toBe(403);
    expect((await req('POST', '/api/sla-policies', { name: 'x' }, token)).status).toBe(403);
  });
});
