import { afterEach, describe, expect, test } from 'vitest';
import { classifySmtpError } from './email.js';
import type { HubProblem } from './problems.js';
import { alarmRequest, FROM, notifyHarness, type NotifyHarness } from './test-harness.js';
import { startReceiver, startSmtpServer, type TestHttpReceiver, type TestSmtpServer } from './test-servers.js';

describe('email notifications through a real SMTP server', () => {
  let smtp: TestSmtpServer | undefined;
  let hook: TestHttpReceiver | undefined;
  let h: NotifyHarness;
  afterEach(async () => {
    await h.cleanup();
    await smtp?.close();
    await hook?.close();
    smtp = hook = undefined;
  });

  test('a subscribed contact receives the mail with subject, text, HTML and ledwatch headers', async () => {
    smtp = await startSmtpServer();
    h = await notifyHarness({ smtpPort: smtp.port });
    const contact = await h.addContact(h.fx.customers[0].id, 'Dana@Acme.example');
    await h.subscribe({ target: { contactId: contact } });
    await h.ctx.notify.notify(alarmRequest(h.fx, { html: '<p>Receiving card <b>3</b> stopped answering.</p>' }));
    await h.ctx.notify.idle();

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail).toMatchObject({ from: 'noreply@ledwatch.example', to: ['dana@acme.example'] });
    expect(mail?.headers).toMatchObject({
      from: FROM,
      to: 'dana@acme.example',
      subject: 'Receiving card 3 offline at Acme Malls HQ wall',
      'x-ledwatch-event': 'alarm.raised',
      'x-ledwatch-key': 'alarm:101',
      'x-ledwatch-severity': 'fault',
      references: expect.stringMatching(/^<[0-9a-f]{32}@notify\.ledwatch>$/),
      'content-type': expect.stringContaining('multipart/alternative'),
    });
    expect(mail?.body).toContain('Receiving card 3 stopped answering at 09:00 UTC.');
    expect(mail?.body).toContain('<b>3</b>');
    expect(await h.rows()).toMatchObject([{ target: 'email:dana@acme.example', status: 'sent', attempts: 1, error: null }]);
  });

  test('the hub logs in with smtp.user and smtp.password', async () => {
    smtp = await startSmtpServer({ auth: { user: 'hub', pass: 's3cret-pass' } });
    h = await notifyHarness({ smtpPort: smtp.port, smtp: { user: 'hub', password: 's3cret-pass' } });
    await h.subscribe({ target: { role: 'engineer' } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(smtp.logins).toEqual(['hub']);
    expect(smtp.mails.map((m) => m.to)).toEqual([['engineer@ledwatch.example']]);
  });

  test('a refused login fails the notification without retries', async () => {
    smtp = await startSmtpServer({ auth: { user: 'hub', pass: 'right' } });
    h = await notifyHarness({ smtpPort: smtp.port, smtp: { user: 'hub', password: 'wrong' } });
    await h.subscribe({ target: { role: 'admin' } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(smtp.mails).toEqual([]);
    expect(await h.rows()).toMatchObject([{ status: 'failed', attempts: 1, error: expect.stringMatching(/^smtp-unavailable: /) }]);
  });

  test('an unreachable SMTP server is retried, then reported as mail-failing to webhook subscribers', async () => {
    hook = await startReceiver({ secret: 'whsec_harness_secret_0123456789' });
    const closed = await startSmtpServer();
    const deadPort = closed.port;
    await closed.close();
    h = await notifyHarness({ smtpPort: deadPort, notify: { retryAttempts: 3, mailFailureThreshold: 3 } });
    const problems: HubProblem[] = [];
    h.ctx.bus.on('hub-problem', (p) => problems.push(p));
    await h.subscribe({ target: { role: 'admin' } });
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url) }, events: ['hub.*'] });

    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();

    const rows = await h.rows();
    expect(rows[0]).toMatchObject({ target: 'email:admin@ledwatch.example', status: 'failed', attempts: 3, error: expect.stringMatching(/^smtp-unavailable: /) });
    expect(problems).toMatchObject([{ kind: 'mail-failing', active: true, detail: expect.stringContaining('3 SMTP attempts failed in a row') }]);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toMatchObject({ valid: true, headers: { 'x-ledwatch-event': 'hub.mail-failing' } });
    expect(JSON.parse(hook.received[0]?.body ?? '{}')).toMatchObject({ key: 'hub:mail-failing', severity: 'critical', data: { kind: 'mail-failing', active: true } });
  });

  test('without smtp.host an email notification fails as not-configured', async () => {
    h = await notifyHarness();
    await h.subscribe({ target: { role: 'engineer' } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(await h.rows()).toMatchObject([{ status: 'failed', attempts: 1, error: expect.stringMatching(/^not-configured: /) }]);
  });

  test('SMTP replies are sorted into rejected-for-good, try-again, and server trouble', () => {
    const reply = (code: string, responseCode: number | undefined, permanent?: boolean) => Object.assign(new Error('x'), { code, responseCode, permanent });
    expect(classifySmtpError(reply('EENVELOPE', 550, true))).toMatchObject({ code: 'smtp-rejected', retryable: false, status: 550 });
    expect(classifySmtpError(reply('EENVELOPE', 451, false))).toMatchObject({ code: 'smtp-rejected', retryable: true, status: 451 });
    expect(classifySmtpError(reply('EAUTH', 535, true))).toMatchObject({ code: 'smtp-unavailable', retryable: false });
    expect(classifySmtpError(reply('ECONNECTION', undefined))).toMatchObject({ code: 'smtp-unavailable', retryable: true });
  });
});
