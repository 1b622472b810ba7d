import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { alarmRequest, HOOK_SECRET, notifyHarness, type NotifyHarness } from './test-harness.js';
import { fakeClock, startReceiver, type TestHttpReceiver } from './test-servers.js';

const MIN = 60_000;

describe('dedupe and rate limits per key and target', () => {
  let hook: TestHttpReceiver;
  let h: NotifyHarness;
  let clock: ReturnType<typeof fakeClock>;
  beforeEach(async () => {
    hook = await startReceiver({ secret: HOOK_SECRET });
    clock = fakeClock();
    h = await notifyHarness({ now: clock.now, notify: { dedupeWindowS: 600, maxPerKeyPerHour: 6 } });
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url) } });
  });
  afterEach(async () => {
    await h.cleanup();
    await hook.close();
  });

  const send = async (over: Parameters<typeof alarmRequest>[1] = {}) => {
    await h.ctx.notify.notify(alarmRequest(h.fx, over));
    await h.ctx.notify.idle();
  };

  test('the same event for the same key is sent once within the dedupe window and recorded as suppressed', async () => {
    await send();
    clock.advance(5 * MIN);
    await send();
    clock.advance(6 * MIN); // 11 min after the first: outside the window
    await send();
    expect((await h.rows()).map((r) => r.status)).toEqual(['sent', 'suppressed', 'sent']);
    expect((await h.rows())[1]?.error).toMatch(/^duplicate of notification 1 within 600 s$/);
    expect(hook.received).toHaveLength(2);
  });

  test('another event of the same key is not a duplicate', async () => {
    await send({ event: 'alarm.raised' });
    await send({ event: 'alarm.cleared', severity: 'info' });
    expect((await h.rows()).map((r) => `${r.event}:${r.status}`)).toEqual(['alarm.raised:sent', 'alarm.cleared:sent']);
  });

  test('a card flapping every minute never floods: duplicates and then the hourly limit suppress the rest', async () => {
    for (let i = 0; i < 40; i++) {
      await send({ event: i % 2 === 0 ? 'alarm.raised' : 'alarm.cleared' });
      clock.advance(MIN);
    }
    const rows = await h.rows();
    const sentAt = rows.flatMap((r, i) => (r.status === 'sent' ? [i] : []));
    expect(sentAt).toEqual([0, 1, 10, 11, 20, 21]); // once per event per 10 min, until 6 in the hour
    expect(rows[2]?.error).toMatch(/^duplicate of notification 1 /);
    expect(rows[30]?.error).toMatch(/^rate limit: 6 per hour/);
    expect(hook.received).toHaveLength(6);
    const metrics = await h.ctx.metrics.registry.getSingleMetricAsString('ledwatch_notifications_total');
    expect(metrics).toContain('ledwatch_notifications_total{channel="webhook",outcome="suppressed"} 34');

    clock.advance(21 * MIN); // 61 min after the first: it no longer counts
    await send({ event: 'alarm.raised' });
    expect((await h.rows()).at(-1)?.status).toBe('sent');
  });

  test('the limits count per key: another alarm still gets through', async () => {
    for (let i = 0; i < 7; i++) {
      await send({ event: `alarm.step${String(i)}` });
    }
    await send({ key: 'alarm:202' });
    const rows = await h.rows();
    expect(rows.filter((r) => r.key === 'alarm:101').map((r) => r.status)).toEqual([...Array<string>(6).fill('sent'), 'suppressed']);
    expect(rows.filter((r) => r.key === 'alarm:202').map((r) => r.status)).toEqual(['sent']);
  });

  test('a failed notification does not count, so the next one is tried', async () => {
    await h.ctx.state.db.updateTable('notify_webhooks').set({ url: 'http://127.0.0.1:9/hook' }).execute();
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    await h.ctx.state.db.updateTable('notify_webhooks').set({ url: hook.url }).execute();
    await send();
    expect((await h.rows()).map((r) => r.status)).toEqual(['failed', 'sent']);
  });
});
