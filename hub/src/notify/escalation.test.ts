import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SmtpEmailSender } from './email.js';
import { createNotifyMetrics } from './metrics.js';
import { Notifier } from './notifier.js';
import { alarmRequest, HOOK_SECRET, notifyHarness, type NotifyHarness } from './test-harness.js';
import { fakeClock, startReceiver, type TestHttpReceiver } from './test-servers.js';

const MIN = 60_000;

describe('escalation when nobody acknowledges', () => {
  let hook: TestHttpReceiver;
  let h: NotifyHarness;
  let clock: ReturnType<typeof fakeClock>;
  let onCall: string;
  let manager: string;
  beforeEach(async () => {
    hook = await startReceiver({ secret: HOOK_SECRET });
    clock = fakeClock();
    h = await notifyHarness({ now: clock.now, notify: { escalation: [{ afterMin: 15 }, { afterMin: 60 }] } });
    onCall = await h.addWebhook(hook.url);
    manager = await h.addWebhook(hook.url);
    await h.subscribe({ target: { webhookId: onCall } });
    await h.subscribe({ target: { webhookId: manager }, escalationLevel: 1 });
  });
  afterEach(async () => {
    await h.cleanup();
    await hook.close();
  });

  const escalations = () => h.ctx.state.db.selectFrom('notify_escalations').select(['level', 'status']).orderBy('level').execute();
  const runDue = async () => {
    const fired = await h.ctx.notify.notifier.escalations.runDue();
    await h.ctx.notify.idle();
    return fired;
  };

  test('not acknowledged after 15 minutes, the level-1 subscribers are told', async () => {
    await h.ctx.notify.notify({ ...alarmRequest(h.fx), ackedCheck: async () => false });
    await h.ctx.notify.idle();
    clock.advance(14 * MIN);
    expect(await runDue()).toBe(0);
    clock.advance(1 * MIN);
    expect(await runDue()).toBe(1);
    const rows = await h.rows();
    expect(rows).toMatchObject([
      { level: 0, target: `webhook:${onCall}`, status: 'sent' },
      { level: 1, target: `webhook:${manager}`, status: 'sent', subject: '[Escalation 1] Receiving card 3 offline at Acme Malls HQ wall' },
    ]);
    expect(JSON.parse(hook.received[1]?.body ?? '{}')).toMatchObject({ level: 1, text: expect.stringMatching(/^Escalation level 1: not acknowledged 15 min after the first notice\./) });
    expect(await escalations()).toEqual([
      { level: 1, status: 'sent' },
      { level: 2, status: 'pending' },
    ]);
  });

  test('acknowledged in time, nobody else is told and the later steps close too', async () => {
    let acked = false;
    await h.ctx.notify.notify({ ...alarmRequest(h.fx), ackedCheck: async () => acked });
    acked = true;
    clock.advance(61 * MIN);
    expect(await runDue()).toBe(0);
    expect((await h.rows()).map((r) => r.level)).toEqual([0]);
    expect(await escalations()).toEqual([
      { level: 1, status: 'acked' },
      { level: 2, status: 'acked' },
    ]);
  });

  test('cancelled escalations never fire', async () => {
    await h.ctx.notify.notify({ ...alarmRequest(h.fx), ackedCheck: async () => false });
    await h.ctx.notify.cancelEscalations('alarm:101');
    clock.advance(61 * MIN);
    expect(await runDue()).toBe(0);
    expect((await escalations()).map((e) => e.status)).toEqual(['cancelled', 'cancelled']);
  });

  test('a follow-up notice for the same key does not push the escalation back', async () => {
    await h.ctx.notify.notify({ ...alarmRequest(h.fx), ackedCheck: async () => false });
    clock.advance(10 * MIN);
    await h.ctx.notify.notify({ ...alarmRequest(h.fx, { event: 'alarm.updated' }), ackedCheck: async () => false });
    clock.advance(5 * MIN);
    expect(await runDue()).toBe(1);
    expect(await escalations()).toHaveLength(2);
  });

  test('a request without ackedCheck does not escalate', async () => {
    await h.ctx.notify.notify(alarmRequest(h.fx));
    expect(await escalations()).toEqual([]);
  });

  test('after a restart the ack check registered for the key prefix decides', async () => {
    await h.ctx.notify.notify({ ...alarmRequest(h.fx), ackedCheck: async () => false });
    await h.ctx.notify.notify({ ...alarmRequest(h.fx, { key: 'alarm:102' }), ackedCheck: async () => false });
    await h.ctx.notify.close();
    const restarted = new Notifier({
      db: h.ctx.state.db,
      log: h.ctx.log,
      bus: h.ctx.bus,
      now: clock.now,
      config: h.ctx.config,
      metrics: createNotifyMetrics(new Registry()),
      email: new SmtpEmailSender(h.ctx.config.smtp),
    });
    try {
      restarted.registerAckCheck('alarm:', async (key) => key === 'alarm:101');
      clock.advance(15 * MIN);
      expect(await restarted.escalations.runDue()).toBe(1);
      await restarted.idle();
      expect((await h.rows()).filter((r) => r.level === 1).map((r) => r.key)).toEqual(['alarm:102']);
    } finally {
      await restarted.close();
    }
  });
});
