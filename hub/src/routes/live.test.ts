import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AlarmView } from '../alarms/types.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent } from '../test-utils/fixture.js';

/** Reads SSE frames from a streaming fetch body. */
async function openStream(url: string, token: string) {
  const abort = new AbortController();
  const res = await fetch(url, { headers: bearer(token), signal: abort.signal });
  const frames: { event: string; data: unknown }[] = [];
  let buf = '';
  const reading = (async () => {
    if (res.body === null) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) frames.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  const next = async (event: string, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frames.find((x) => x.event === event);
      if (f !== undefined) {
        frames.splice(frames.indexOf(f), 1);
        return f.data;
      }
      if (Date.now() > deadline) throw new Error(`no ${event} event within ${timeoutMs} ms; got ${JSON.stringify(frames)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { res, frames, next, close: async () => { abort.abort(); await reading; } };
}

const point = (siteId: string, customerId: string, deviceId: string, state = 'ok') => ({
  customerId, siteId, agentId: `agent-${siteId}`, deviceId, component: '', at: Date.now(), metrics: { temperatureC: 41 }, state,
});

describe('GET /api/live (Server-Sent Events)', () => {
  let t: TestApp;
  let base: string;

  beforeEach(async () => {
    t = await createTestApp();
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('streams the readings the telemetry store is handed, for the asked site only', async () => {
    const [acme, globex] = t.fx.customers;
    const s = await openStream(`${base}/api/live?siteId=${acme.siteId}`, t.fx.engineer.token);
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await s.next('hello')).toMatchObject({ siteId: acme.siteId });
    await t.ctx.telemetry.write([point(globex.siteId, globex.id, 'ups-1')]);
    await t.ctx.telemetry.write([point(acme.siteId, acme.id, 'ctrl-1/p0/c1', 'fault')]);
    const batch = (await s.next('readings')) as { deviceId: string; state: string; metrics: object }[];
    expect(batch).toEqual([expect.objectContaining({ siteId: acme.siteId, deviceId: 'ctrl-1/p0/c1', state: 'fault', metrics: { temperatureC: 41 } })]);
    expect(s.frames.filter((f) => f.event === 'readings')).toEqual([]);
    await s.close();
  });

  test("a customer's stream carries only its own customer's readings, alarms and agents", async () => {
    const [acme, globex] = t.fx.customers;
    await seedAgent(t.ctx, globex.siteId, { id: 'globex-1' });
    await seedAgent(t.ctx, acme.siteId, { id: 'acme-1' });
    const s = await openStream(`${base}/api/live`, acme.user.token);
    await s.next('hello');
    t.ctx.bus.emit('readings', [point(globex.siteId, globex.id, 'ups-1'), point(acme.siteId, acme.id, 'psu-1')]);
    const alarm = (customerId: string, siteId: string, id: number) => ({ kind: 'raised' as const, alarm: { id, customerId, siteId, type: 'card-missing' } as AlarmView });
    t.ctx.bus.emit('alarm', alarm(globex.id, globex.siteId, 1));
    t.ctx.bus.emit('alarm', alarm(acme.id, acme.siteId, 2));
    t.ctx.bus.emit('agent-offline', 'globex-1');
    t.ctx.bus.emit('agent-online', 'acme-1');
    expect(await s.next('readings')).toEqual([expect.objectContaining({ deviceId: 'psu-1' })]);
    expect(await s.next('alarm')).toMatchObject({ kind: 'raised', alarm: { id: 2 } });
    expect(await s.next('agent')).toEqual({ agentId: 'acme-1', siteId: acme.siteId, online: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(s.frames.map((f) => f.event)).toEqual([]);
    await s.close();
  });

  test("another customer's site answers 404 and a missing token 401", async () => {
    const res = await fetch(`${base}/api/live?siteId=${t.fx.customers[1].siteId}`, { headers: bearer(t.fx.customers[0].user.token) });
    expect(res.status).toBe(404);
    expect((await fetch(`${base}/api/live`)).status).toBe(401);
  });

  test('serves many streams with one bus listener per event', async () => {
    const streams = await Promise.all(Array.from({ length: 12 }, () => openStream(`${base}/api/live`, t.fx.admin.token)));
    await Promise.all(streams.map((s) => s.next('hello')));
    expect(t.ctx.bus.listenerCount('readings')).toBe(1);
    expect(t.ctx.bus.listenerCount('alarm')).toBe(1);
    t.ctx.bus.emit('readings', [point(t.fx.customers[0].siteId, t.fx.customers[0].id, 'psu-1')]);
    for (const s of streams) expect(await s.next('readings')).toEqual([expect.objectContaining({ deviceId: 'psu-1' })]);
    await Promise.all(streams.map((s) => s.close()));
    await expect.poll(() => t.ctx.bus.listenerCount('readings')).toBe(0);
  });

  test('drops its bus listeners when the reader goes away, and lets the server close with a stream open', async () => {
    const s = await openStream(`${base}/api/live`, t.fx.admin.token);
    await s.next('hello');
    expect(t.ctx.bus.listenerCount('readings')).toBe(1);
    await s.close();
    await expect.poll(() => t.ctx.bus.listenerCount('readings')).toBe(0);
    const open = await openStream(`${base}/api/live`, t.fx.admin.token);
    await open.next('hello');
    const started = Date.now();
    await t.app.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await open.close();
  });
});
