import { afterEach, describe, expect, test } from 'vitest';
import { reportHubProblem, type HubProblem } from './problems.js';
import { alarmRequest, notifyHarness, type NotifyHarness } from './test-harness.js';
import { startSmtpServer, type TestSmtpServer } from './test-servers.js';

describe('who is told, and the notifier never failing its caller', () => {
  let smtp: TestSmtpServer | undefined;
  let h: NotifyHarness;
  afterEach(async () => {
    await h.cleanup();
    await smtp?.close();
    smtp = undefined;
  });

  const withSmtp = async () => {
    smtp = await startSmtpServer();
    h = await notifyHarness({ smtpPort: smtp.port });
    return smtp;
  };

  test("a customer's contact only hears about that customer, whatever the subscription's scope", async () => {
    const server = await withSmtp();
    const [acme, globex] = h.fx.customers;
    await h.subscribe({ target: { contactId: await h.addContact(acme.id, 'dana@acme.example') } });
    await h.ctx.notify.notify(alarmRequest(h.fx, { key: 'alarm:1', customerId: globex.id, siteId: globex.siteId }));
    await h.ctx.notify.notify(alarmRequest(h.fx, { key: 'hub:x', event: 'hub.problem', customerId: undefined, siteId: undefined }));
    await h.ctx.notify.notify(alarmRequest(h.fx, { key: 'alarm:2' }));
    await h.ctx.notify.idle();
    expect(server.mails.map((m) => m.headers['x-ledwatch-key'])).toEqual(['alarm:2']);
  });

  test('a role reaches every enabled user with it, and someone subscribed twice gets one mail', async () => {
    const server = await withSmtp();
    const db = h.ctx.state.db;
    const now = h.ctx.now();
    await db.insertInto('users').values({ id: 'u-off', email: 'gone@ledwatch.example', name: 'Gone', password_hash: null, role: 'engineer', customer_id: null, disabled: 1, created_at: now, updated_at: now }).execute();
    await h.subscribe({ target: { role: 'engineer' } });
    await h.subscribe({ target: { userId: h.fx.engineer.id } });
    await h.subscribe({ target: { userId: h.fx.admin.id }, minSeverity: 'critical' });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(server.mails.flatMap((m) => m.to)).toEqual(['engineer@ledwatch.example']);
  });

  test('a contact without an email address is recorded as failed, not silently skipped', async () => {
    await withSmtp();
    const contact = await h.addContact(h.fx.customers[0].id, null);
    await h.subscribe({ target: { contactId: contact } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(await h.rows()).toMatchObject([{ target: `contact:${contact}`, status: 'failed', attempts: 0, error: expect.stringMatching(/^no-address: /) }]);
  });

  test('notify resolves without throwing even when the state database is gone', async () => {
    h = await notifyHarness();
    await h.subscribe({ target: { role: 'admin' } });
    await h.ctx.state.close();
    await expect(h.ctx.notify.notify(alarmRequest(h.fx))).resolves.toBeUndefined();
  });

  test('notifications left pending or retrying by a previous run are sent at start', async () => {
    const server = await withSmtp();
    const now = h.ctx.now();
    const base = { event: 'alarm.raised', severity: 'fault', level: 0, channel: 'email', subscription_id: null, customer_id: null, site_id: null, subject: 'left over', error: null, created_at: now, sent_at: null } as const;
    const payload = JSON.stringify({ text: 'still true', data: null });
    await h.ctx.state.db
      .insertInto('notifications')
      .values([
        { ...base, key: 'alarm:1', target: 'email:a@ledwatch.example', payload, status: 'pending', attempts: 0, next_attempt_at: null },
        { ...base, key: 'alarm:2', target: 'email:b@ledwatch.example', payload, status: 'retrying', attempts: 1, next_attempt_at: now },
      ])
      .execute();
    h.ctx.notify.start();
    await h.ctx.notify.idle();
    expect(server.mails.flatMap((m) => m.to).sort()).toEqual(['a@ledwatch.example', 'b@ledwatch.example']);
    expect((await h.rows()).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 2],
    ]);
  });

  test("the hub's own self-checks pass on a healthy context", async () => {
    h = await notifyHarness();
    const problems: HubProblem[] = [];
    h.ctx.bus.on('hub-problem', (p) => problems.push(p));
    expect(await h.ctx.notify.monitor.beat()).toBe('off');
    expect(problems).toEqual([]);
  });

  test('a hub problem is announced when it starts and when it ends, not on every report', async () => {
    h = await notifyHarness();
    const problems: HubProblem[] = [];
    h.ctx.bus.on('hub-problem', (p) => problems.push(p));
    expect(reportHubProblem(h.ctx, 'store-unreachable', true, 'influx down')).toBe(true);
    expect(reportHubProblem(h.ctx, 'store-unreachable', true, 'influx still down')).toBe(false);
    expect(reportHubProblem(h.ctx, 'store-unreachable', false, 'influx back')).toBe(true);
    expect(reportHubProblem(h.ctx, 'store-unreachable', false, 'influx back')).toBe(false);
    expect(problems.map((p) => [p.kind, p.active, p.detail])).toEqual([
      ['store-unreachable', true, 'influx down'],
      ['store-unreachable', false, 'influx back'],
    ]);
  });
});
