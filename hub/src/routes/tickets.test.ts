import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeTime } from '../sla/fake-time.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent, seedDevice } from '../test-utils/fixture.js';

const FRIDAY_17H = Date.parse('2025-11-28T17:00:00Z');
type Json = Record<string, unknown>;

describe('tickets API', () => {
  let t: TestApp;
  let time: FakeTime;
  let cardPk: number;
  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = t.fx.engineer.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(body !== undefined ? { payload: body as Json } : {}) });
  const fault = () => t.ctx.alarms.onReadings({ id: 'acme-1', siteId: t.fx.customers[0].siteId, customerId: t.fx.customers[0].id }, [{ device: 'ctrl-1/p0/c0', at: time.now, metrics: { temperatureC: 90 } }]);

  beforeEach(async () => {
    time = new FakeTime(FRIDAY_17H);
    t = await createTestApp({ now: () => time.now, tickets: { timers: time } });
    t.ctx.tickets.start();
    await seedAgent(t.ctx, t.fx.customers[0].siteId, { id: 'acme-1' });
    cardPk = await seedDevice(t.ctx, { agentId: 'acme-1', deviceId: 'ctrl-1/p0/c0', kind: 'novastar' });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('a ticket opened from an alarm is listed and shown with its events, alarms and SLA clocks', async () => {
    fault();
    const list = await req('GET', '/api/tickets?state=open');
    expect(list.json<{ items: Json[] }>().items.map((i) => [i.number, i.faultType, i.state])).toEqual([['T-000001', 'card-over-temperature', 'new']]);
    const one = (await req('GET', '/api/tickets/1')).json<Json & { events: Json[]; alarms: Json[]; sla: { respond: Json } }>();
    expect(one.events.map((e) => e.kind)).toEqual(['created', 'alarm-linked']);
    expect(one.alarms).toHaveLength(1);
    expect(one.sla.respond).toMatchObject({ state: 'running', deadline: Date.parse('2025-12-01T11:00:00Z') });
    expect((await req('GET', '/api/tickets?q=temperature&recurring=false')).json<{ items: Json[] }>().items).toHaveLength(1);
  });

  test('a manual ticket from a phone call records its channel and shows in-warranty from the device', async () => {
    const patch = await req('PATCH', `/api/devices/${cardPk}`, { warrantyEnd: FRIDAY_17H + 365 * 86_400_000 });
    expect(patch.json()).toMatchObject({ warranty: 'in' });
    const res = await req('POST', '/api/tickets', { siteId: t.fx.customers[0].siteId, title: 'Dark stripe on the left', description: 'called in by the mall manager', severity: 'fault', channel: 'phone', deviceId: cardPk });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ source: 'manual', channel: 'phone', warranty: 'in', deviceId: 'ctrl-1/p0/c0', createdBy: t.fx.engineer.id, faultType: 'service-request' });
  });

  test('a transition missing its required fields answers 400 naming the field; an illegal one 409', async () => {
    fault();
    const bad = await req('POST', '/api/tickets/1/transition', { to: 'resolved', cause: 'fan' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation', details: [{ field: 'body.treatment' }] } });
    expect((await req('POST', '/api/tickets/1/transition', { to: 'closed' })).statusCode).toBe(409);
  });

  test('a customer confirms its own resolved ticket but may do nothing else and cannot see another customer’s', async () => {
    fault();
    await req('POST', '/api/tickets/1/transition', { to: 'resolved', cause: 'firmware hang', treatment: 'restarted remotely' });
    const [acme, globex] = t.fx.customers;
    expect((await req('POST', '/api/tickets/1/transition', { to: 'assigned' }, acme.user.token)).statusCode).toBe(403);
    expect((await req('POST', '/api/tickets/1/transition', { to: 'confirmed' }, globex.user.token)).statusCode).toBe(404);
    expect((await req('GET', '/api/tickets', undefined, globex.user.token)).json()).toEqual({ items: [] });
    expect((await req('POST', '/api/tickets/1/comments', { text: 'hi' }, acme.user.token)).statusCode).toBe(403);
    const ok = await req('POST', '/api/tickets/1/transition', { to: 'confirmed', note: 'screen fine again' }, acme.user.token);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ events: Json[] }>().events.at(-1)).toMatchObject({ kind: 'transition', toState: 'confirmed', actorUserId: acme.user.id });
  });

  test('assign, comment and attach record events; an attachment downloads byte for byte; an oversized one is refused', async () => {
    fault();
    const assigned = await req('POST', '/api/tickets/1/assign', { userId: t.fx.engineer.id });
    expect(assigned.json()).toMatchObject({ state: 'assigned', assigneeUserId: t.fx.engineer.id });
    expect((await req('POST', '/api/tickets/1/comments', { text: 'parts ordered' })).statusCode).toBe(201);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
    const att = await req('POST', '/api/tickets/1/attachments', { name: 'photo.png', mime: 'image/png', data: bytes.toString('base64') });
    expect(att.statusCode).toBe(201);
    const got = await req('GET', `/api/tickets/1/attachments/${att.json<{ id: number }>().id}`);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload).toEqual(bytes);
    const big = await req('POST', '/api/tickets/1/attachments', { name: 'big.bin', mime: 'application/octet-stream', data: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64') });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { code: 'validation' } });
    const kinds = (await req('GET', '/api/tickets/1')).json<{ events: Json[] }>().events.map((e) => e.kind);
    expect(kinds).toEqual(['created', 'alarm-linked', 'assigned', 'transition', 'comment', 'attachment']);
  });

  test('the monthly service summary counts by type and state with SLA compliance, as JSON and CSV', async () => {
    fault();
    time.advanceTo(time.now + 60_000);
    await req('POST', '/api/tickets/1/transition', { to: 'resolved', cause: 'x', treatment: 'y' });
    const json = (await req('GET', `/api/service-summary?period=month&at=${FRIDAY_17H}`)).json();
    expect(json).toMatchObject({ period: 'month', opened: 1, byFaultType: [{ faultType: 'card-over-temperature', count: 1 }], byState: [{ state: 'resolved', count: 1 }], meanTimeToResolveMs: 60_000 });
    expect(json).toMatchObject({ sla: { respond: { met: 1, compliancePct: 100 }, resolve: { met: 1 } } });
    const csv = await t.app.inject({ url: `/api/service-summary?period=week&at=${FRIDAY_17H}`, headers: { ...bearer(t.fx.admin.token), accept: 'text/csv' } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')).toEqual(expect.arrayContaining(['section,key,value', 'faultType,card-over-temperature,1', 'sla.respond,compliancePct,100']));
  });
});
