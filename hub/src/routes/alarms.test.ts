import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AlarmChange, AlarmView } from '../alarms/types.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent, seedDevice } from '../test-utils/fixture.js';

describe('alarms API', () => {
  let t: TestApp;
  let changes: AlarmChange[];
  const at = Date.now();
  const reading = (agent: { id: string; siteId: string; customerId: string }, device: string, metrics: Record<string, number | boolean>) =>
    t.ctx.alarms.onReadings(agent, [{ device, at, metrics }]);
  const get = async (url: string, token = t.fx.engineer.token) => {
    const res = await t.app.inject({ url, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: AlarmView[]; next: number | null }>();
  };
  const post = (url: string, body?: unknown, token = t.fx.engineer.token) =>
    t.app.inject({ method: 'POST', url, headers: bearer(token), ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}) });

  beforeEach(async () => {
    t = await createTestApp();
    changes = [];
    t.ctx.bus.on('alarm', (c) => changes.push(c));
    const [acme, globex] = t.fx.customers;
    const a = { id: (await seedAgent(t.ctx, acme.siteId, { id: 'acme-1' })).id, siteId: acme.siteId, customerId: acme.id };
    const b = { id: (await seedAgent(t.ctx, globex.siteId, { id: 'globex-1' })).id, siteId: globex.siteId, customerId: globex.id };
    for (const agent of [a, b]) {
      await seedDevice(t.ctx, { agentId: agent.id, deviceId: 'ctrl-1/p0/c0', kind: 'novastar' });
      await seedDevice(t.ctx, { agentId: agent.id, deviceId: 'ups-1', kind: 'snmp' });
    }
    reading(a, 'ctrl-1/p0/c0', { temperatureC: 90 }); // fault
    reading(a, 'ups-1', { onBattery: true }); // risk
    reading(b, 'ctrl-1/p0/c0', { ribbonErrors: 3 }); // info
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('lists alarms newest first and filters by state, minimum severity, site, agent, device and type', async () => {
    expect((await get('/api/alarms')).items.map((a) => [a.agentId, a.type, a.severity])).toEqual([
      ['globex-1', 'ribbon-errors', 'info'],
      ['acme-1', 'ups-on-battery', 'risk'],
      ['acme-1', 'card-over-temperature', 'fault'],
    ]);
    expect((await get('/api/alarms?severity=risk')).items.map((a) => a.type)).toEqual(['ups-on-battery', 'card-over-temperature']);
    expect((await get(`/api/alarms?siteId=${t.fx.customers[1].siteId}`)).items.map((a) => a.type)).toEqual(['ribbon-errors']);
    expect((await get('/api/alarms?agentId=acme-1&deviceId=ups-1')).items.map((a) => a.type)).toEqual(['ups-on-battery']);
    expect((await get('/api/alarms?type=card-over-temperature&state=open')).items).toHaveLength(1);
    expect((await get('/api/alarms?state=cleared')).items).toEqual([]);
  });

  test('pages follow the id cursor', async () => {
    const first = await get('/api/alarms?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await get(`/api/alarms?limit=2&before=${first.next ?? 0}`);
    expect(second).toMatchObject({ items: [{ type: 'card-over-temperature' }], next: null });
  });

  test("a customer sees only its own customer's alarms; another's answers 404", async () => {
    const viewer = t.fx.customers[1].user.token;
    const own = await get('/api/alarms', viewer);
    expect(own.items.map((a) => a.agentId)).toEqual(['globex-1']);
    const other = (await get('/api/alarms')).items.find((a) => a.agentId === 'acme-1');
    const res = await t.app.inject({ url: `/api/alarms/${other?.id ?? 0}`, headers: bearer(viewer) });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not-found' } });
  });

  test('an engineer acknowledges an alarm: it is audited and announced, and customers may not', async () => {
    const [alarm] = (await get('/api/alarms?type=card-over-temperature')).items;
    const denied = await post(`/api/alarms/${alarm?.id ?? 0}/ack`, undefined, t.fx.customers[0].user.token);
    expect(denied.statusCode).toBe(403);
    const res = await post(`/api/alarms/${alarm?.id ?? 0}/ack`, { note: 'on it' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'acknowledged', ackedBy: t.fx.engineer.id });
    expect(changes.at(-1)).toMatchObject({ kind: 'acknowledged', alarm: { id: alarm?.id, state: 'acknowledged' } });
    const audit = t.ctx.state.sqlite.prepare("select action, entity_id, actor_user_id, details from audit_log where entity = 'alarm'").all();
    expect(audit).toEqual([{ action: 'alarm.acknowledge', entity_id: String(alarm?.id), actor_user_id: t.fx.engineer.id, details: expect.stringContaining('"note":"on it"') as unknown }]);
  });

  test('clearing by hand is audited, and a cleared alarm can be neither acknowledged nor cleared again', async () => {
    const [alarm] = (await get('/api/alarms?type=ups-on-battery')).items;
    const res = await post(`/api/alarms/${alarm?.id ?? 0}/clear`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'cleared', clearReason: 'manual' });
    expect(t.ctx.state.sqlite.prepare("select action from audit_log where entity = 'alarm'").all()).toEqual([{ action: 'alarm.clear' }]);
    for (const verb of ['ack', 'clear']) {
      const again = await post(`/api/alarms/${alarm?.id ?? 0}/${verb}`);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: { code: 'conflict' } });
    }
    expect((await post('/api/alarms/999999/ack')).statusCode).toBe(404);
  });
});
