import { afterEach, describe, expect, test } from 'vitest';
import { bridgeAlarmsToNotifications } from './alarm-bridge.js';
import { alarmRequest, notifyHarness, type NotifyHarness } from './test-harness.js';
import { startSmtpServer, type TestSmtpServer } from './test-servers.js';

describe('mail failing as a hub alarm, with a real SMTP server', () => {
  let h: NotifyHarness | undefined;
  let smtp: TestSmtpServer | undefined;
  afterEach(async () => {
    await h?.cleanup();
    await smtp?.close();
    h = smtp = undefined;
  });

  const hubAlarms = (harness: NotifyHarness) =>
    harness.ctx.state.sqlite.prepare("select type, severity, state, message from alarms where agent_id = 'hub' order by id").all() as { type: string; severity: string; state: string; message: string }[];

  test('the SMTP server stopped raises hub-mail-failing; started again, the self-check clears it', async () => {
    smtp = await startSmtpServer();
    const port = smtp.port;
    h = await notifyHarness({ smtpPort: port, notify: { retryAttempts: 3, mailFailureThreshold: 3 } });
    bridgeAlarmsToNotifications(h.ctx);
    await h.subscribe({ target: { role: 'admin' }, events: ['alarm.raised'] }); // an alarm mail, so also the hub's own

    // Mail works: no problem, and the self-check does not touch the SMTP server.
    await h.ctx.notify.notify(alarmRequest(h.fx, { key: 'alarm:1' }));
    await h.ctx.notify.idle();
    expect(smtp.mails).toHaveLength(1);
    await h.ctx.notify.monitor.beat();
    expect(hubAlarms(h)).toEqual([]);

    await smtp.close();
    await h.ctx.notify.notify(alarmRequest(h.fx, { key: 'alarm:2' }));
    await h.ctx.notify.idle();
    expect(hubAlarms(h)).toEqual([{ type: 'hub-mail-failing', severity: 'fault', state: 'active', message: expect.stringContaining('3 SMTP attempts failed in a row') }]);
    await h.ctx.notify.monitor.beat(); // the SMTP server is still down: the alarm stays
    expect(hubAlarms(h).map((a) => a.state)).toEqual(['active']);

    smtp = await startSmtpServer({ port });
    await h.ctx.notify.monitor.beat();
    expect(hubAlarms(h)).toMatchObject([{ type: 'hub-mail-failing', state: 'cleared' }]);
  });
});
