import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { verifyWebhookSignature } from './signature.js';
import { alarmRequest, HOOK_SECRET, notifyHarness, type NotifyHarness } from './test-harness.js';
import { startReceiver, type TestHttpReceiver } from './test-servers.js';
import { postWebhook } from './webhook.js';

describe('signed webhooks to a real HTTP receiver', () => {
  let hook: TestHttpReceiver | undefined;
  let h: NotifyHarness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    await hook?.close();
    h = hook = undefined;
  });

  test('the receiver gets the JSON body with event, delivery and timestamp headers and a valid signature', async () => {
    hook = await startReceiver({ secret: HOOK_SECRET });
    h = await notifyHarness();
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url) }, events: ['alarm.*'] });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();

    expect(hook.received).toHaveLength(1);
    const got = hook.received[0];
    const [row] = await h.rows();
    expect(got).toMatchObject({
      valid: true,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-ledwatch-event': 'alarm.raised', 'x-ledwatch-delivery': String(row?.id), 'x-ledwatch-timestamp': expect.stringMatching(/^\d{10}$/) },
    });
    expect(JSON.parse(got?.body ?? '{}')).toEqual({
      id: String(row?.id),
      event: 'alarm.raised',
      key: 'alarm:101',
      severity: 'fault',
      level: 0,
      customerId: h.fx.customers[0].id,
      siteId: h.fx.customers[0].siteId,
      subject: 'Receiving card 3 offline at Acme Malls HQ wall',
      text: 'Receiving card 3 stopped answering at 09:00 UTC.',
      data: { alarmId: 101, device: 'card-3' },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('a tampered body or the wrong secret does not verify at the receiver', async () => {
    hook = await startReceiver({ secret: HOOK_SECRET });
    h = await notifyHarness();
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url) } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    const got = hook.received[0];
    const ts = got?.headers['x-ledwatch-timestamp'] as string;
    const sig = got?.headers['x-ledwatch-signature'] as string;
    expect(verifyWebhookSignature(HOOK_SECRET, ts, got?.body ?? '', sig)).toBe(true);
    expect(verifyWebhookSignature(HOOK_SECRET, ts, (got?.body ?? '').replace('"fault"', '"info"'), sig)).toBe(false);
    expect(verifyWebhookSignature('whsec_someone_else_000000', ts, got?.body ?? '', sig)).toBe(false);
  });

  test('a 5xx answer is retried with the same delivery id until the receiver takes it', async () => {
    hook = await startReceiver({ secret: HOOK_SECRET, statuses: [503, 502, 200] });
    h = await notifyHarness();
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url) } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(hook.received.map((r) => r.headers['x-ledwatch-delivery'])).toEqual(['1', '1', '1']);
    expect(hook.received.every((r) => r.valid)).toBe(true);
    expect(await h.rows()).toMatchObject([{ status: 'sent', attempts: 3, error: null }]);
  });

  test('a 4xx answer fails at once without retries', async () => {
    hook = await startReceiver({ secret: HOOK_SECRET, statuses: [410] });
    h = await notifyHarness();
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url) } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(hook.received).toHaveLength(1);
    expect(await h.rows()).toMatchObject([{ status: 'failed', attempts: 1, error: 'http-status: HTTP 410' }]);
  });

  test('a receiver that is down is retried up to notify.retryAttempts, then the notification fails', async () => {
    hook = await startReceiver();
    const url = hook.url;
    await hook.close();
    hook = undefined;
    h = await notifyHarness({ notify: { retryAttempts: 3 } });
    await h.subscribe({ target: { webhookId: await h.addWebhook(url) } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(await h.rows()).toMatchObject([{ status: 'failed', attempts: 3, error: expect.stringMatching(/^network: /) }]);
    const failed = await h.ctx.metrics.registry.getSingleMetricAsString('ledwatch_notifications_total');
    expect(failed).toContain('ledwatch_notifications_total{channel="webhook",outcome="retried"} 2');
    expect(failed).toContain('ledwatch_notifications_total{channel="webhook",outcome="failed"} 1');
  });

  test('a disabled webhook is not called', async () => {
    hook = await startReceiver({ secret: HOOK_SECRET });
    h = await notifyHarness();
    await h.subscribe({ target: { webhookId: await h.addWebhook(hook.url, { enabled: false }) } });
    await h.ctx.notify.notify(alarmRequest(h.fx));
    await h.ctx.notify.idle();
    expect(hook.received).toEqual([]);
    expect(await h.rows()).toEqual([]);
  });

  test('a receiver that does not answer in time is a retryable timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const post = postWebhook({ id: 'w', url: `http://127.0.0.1:${String(port)}/`, secret: HOOK_SECRET }, { event: 'e', deliveryId: '1', body: '{}', timeoutMs: 100 });
      await expect(post).rejects.toMatchObject({ code: 'timeout', retryable: true });
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => silent.close(r));
    }
  });
});
