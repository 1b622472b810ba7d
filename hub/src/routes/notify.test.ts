import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startReceiver, type TestHttpReceiver } from '../notify/test-servers.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';

type Json = Record<string, unknown>;
const SECRET = 'whsec_route_test_secret_0123456789';

describe('notification API', () => {
  let t: TestApp;
  let receiver: TestHttpReceiver;
  beforeEach(async () => {
    receiver = await startReceiver({ secret: SECRET });
    t = await createTestApp({ config: { notify: { retryBaseDelayMs: 5, retryMaxDelayMs: 20 } } });
  });
  afterEach(async () => {
    await t.cleanup();
    await receiver.close();
  });

  const req = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = t.fx.admin.token) => {
    const res = await t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.body === '' ? {} : res.json<Json>(), raw: res.body };
  };
  const audit = (action: string) => t.ctx.state.db.selectFrom('audit_log').select(['entity_id', 'details']).where('action', '=', action).execute();

  test('a webhook secret is write-only: masked in every answer and redacted in the audit log', async () => {
    const created = await req('POST', '/api/notify/webhooks', { name: 'PagerDuty', url: receiver.url, secret: SECRET });
    expect(created).toMatchObject({ status: 201, body: { name: 'PagerDuty', url: receiver.url, secretHint: '****6789', enabled: true } });
    expect(created.raw).not.toContain(SECRET);
    const id = created.body.id as string;
    expect((await req('GET', '/api/notify/webhooks')).raw).not.toContain(SECRET);
    expect((await req('GET', `/api/notify/webhooks/${id}`, undefined, t.fx.engineer.token)).body).toMatchObject({ id, secretHint: '****6789' });
    expect((await req('PATCH', `/api/notify/webhooks/${id}`, { secret: 'whsec_rotated_secret_abcdefgh' })).body).toMatchObject({ secretHint: '****efgh' });
    const rows = [...(await audit('notify-webhook.create')), ...(await audit('notify-webhook.update'))];
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toMatch(/whsec_/);
  });

  test('a secret the hub generates is shown once, at creation', async () => {
    const created = await req('POST', '/api/notify/webhooks', { name: 'Ops', url: receiver.url });
    expect(created.body.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect((await req('GET', `/api/notify/webhooks/${String(created.body.id)}`)).body).not.toHaveProperty('secret');
  });

  test('engineers may read webhooks but only admins change them; customers see no notification API', async () => {
    expect((await req('POST', '/api/notify/webhooks', { name: 'x', url: receiver.url }, t.fx.engineer.token)).status).toBe(403);
    expect((await req('GET', '/api/notify/webhooks', undefined, t.fx.engineer.token)).status).toBe(200);
    const viewer = t.fx.customers[0].user.token;
    expect((await req('GET', '/api/notifications', undefined, viewer)).status).toBe(403);
    expect((await req('GET', '/api/notify/subscriptions', undefined, viewer)).status).toBe(403);
  });

  test('webhook input is validated field by field', async () => {
    const bad = await req('POST', '/api/notify/webhooks', { name: '', url: 'ftp://example.com', secret: 'short' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation' } } });
    const fields = ((bad.body.error as Json).details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['body.name', 'body.secret', 'body.url']);
  });

  test('a subscription defaults to risk and above for every event, and takes its channel and scope from the target', async () => {
    const acme = t.fx.customers[0];
    const contact = await req('POST', '/api/contacts', { customerId: acme.id, name: 'Dana', email: 'dana@acme.example' });
    const sub = await req('POST', '/api/notify/subscriptions', { target: { contactId: contact.body.id } }, t.fx.engineer.token);
    expect(sub).toMatchObject({ status: 201, body: { channel: 'email', minSeverity: 'risk', events: ['*'], customerId: acme.id, siteId: null, escalationLevel: 0, enabled: true } });
    const id = sub.body.id as string;
    const patched = await req('PATCH', `/api/notify/subscriptions/${id}`, { siteId: acme.siteId, events: ['alarm.*'], minSeverity: 'fault' });
    expect(patched.body).toMatchObject({ siteId: acme.siteId, customerId: acme.id, events: ['alarm.*'], minSeverity: 'fault' });
    expect((await req('GET', '/api/notify/subscriptions')).body).toMatchObject({ items: [{ id }] });
    expect(await audit('notify-subscription.create')).toMatchObject([{ entity_id: id }]);
    expect((await req('DELETE', `/api/notify/subscriptions/${id}`)).status).toBe(204);
    expect((await req('GET', `/api/notify/subscriptions/${id}`)).status).toBe(404);
  });

  test('a subscription that cannot work is refused with the field to fix', async () => {
    const [acme, globex] = t.fx.customers;
    const hook = await req('POST', '/api/notify/webhooks', { name: 'Ops', url: receiver.url });
    const contact = await req('POST', '/api/contacts', { customerId: acme.id, name: 'Dana', email: 'dana@acme.example' });
    const field = async (body: object) => {
      const r = await req('POST', '/api/notify/subscriptions', body);
      return r.status === 400 ? ((r.body.error as Json).details as { field: string }[])[0]?.field : r.status;
    };
    expect(await field({ target: { webhookId: hook.body.id }, channel: 'email' })).toBe('body.channel');
    expect(await field({ target: { role: 'engineer' }, escalationLevel: 3 })).toBe('body.escalationLevel');
    expect(await field({ target: { contactId: contact.body.id }, customerId: globex.id })).toBe('body.customerId');
    expect(await field({ target: { role: 'engineer' }, customerId: acme.id, siteId: globex.siteId })).toBe('body.siteId');
    expect(await field({ target: { userId: 'ghost' } })).toBe('body.target.userId');
    expect(await field({ target: { role: 'customer' } })).toMatch(/^body\.target/);
    expect(await field({ target: { role: 'engineer' }, events: ['Alarm Raised'] })).toBe('body.events.0');
  });

  test('a test notification reaches a webhook with a valid signature, is logged and audited', async () => {
    const hook = await req('POST', '/api/notify/webhooks', { name: 'Ops', url: receiver.url, secret: SECRET });
    const sent = await req('POST', '/api/notify/test', { target: { webhookId: hook.body.id } }, t.fx.engineer.token);
    expect(sent).toMatchObject({ status: 200, body: { items: [{ event: 'notify.test', channel: 'webhook', status: 'sent', attempts: 1 }] } });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ valid: true, headers: { 'x-ledwatch-event': 'notify.test' } });
    expect(await audit('notify.test')).toMatchObject([{ details: expect.stringContaining('"status":"sent"') }]);
    const log = await req('GET', '/api/notifications?event=notify.test&status=sent');
    expect(log.body).toMatchObject({ items: [{ target: `webhook:${String(hook.body.id)}` }], next: null });
  });

  test('a test to an email target without SMTP reports the failure instead of hiding it', async () => {
    const sent = await req('POST', '/api/notify/test', { target: { userId: t.fx.engineer.id } });
    expect(sent.body).toMatchObject({ items: [{ target: 'email:engineer@ledwatch.example', status: 'failed', error: expect.stringMatching(/^not-configured: /) }] });
    expect((await req('POST', '/api/notify/test', { target: { webhookId: 'ghost' } })).status).toBe(400);
  });

  test('the notification log pages newest first', async () => {
    const hook = await req('POST', '/api/notify/webhooks', { name: 'Ops', url: receiver.url, secret: SECRET });
    for (let i = 0; i < 3; i++) await req('POST', '/api/notify/test', { target: { webhookId: hook.body.id } });
    const first = await req('GET', '/api/notifications?limit=2');
    const ids = (first.body.items as Json[]).map((n) => n.id as number);
    expect(ids).toEqual([3, 2]);
    expect((await req('GET', `/api/notifications?limit=2&before=${String(first.body.next)}`)).body).toMatchObject({ items: [{ id: 1 }], next: null });
    expect((await req('GET', '/api/notifications?status=bogus')).status).toBe(400);
  });
});
