import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../test-utils/app.js';
import { seedAgent, seedDevice } from '../../test-utils/fixture.js';
import type { AlarmChange } from '../types.js';

describe('maintenance windows API', () => {
  let t: TestApp;
  let site: string;
  const now = Date.now();
  const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>, token = t.fx.engineer.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload } : {}) });

  beforeEach(async () => {
    t = await createTestApp();
    site = t.fx.customers[0].siteId;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('engineers plan, change and delete windows, each audited; customers read only their own sites', async () => {
    const created = await send('POST', `/api/sites/${site}/maintenance`, { startsAt: now, endsAt: now + 3_600_000, reason: 'module swap' });
    expect(created.statusCode).toBe(201);
    const w = created.json<{ id: number }>();
    expect(w).toMatchObject({ siteId: site, startsAt: now, endsAt: now + 3_600_000, reason: 'module swap', createdBy: t.fx.engineer.id });
    const changed = await send('PUT', `/api/sites/${site}/maintenance/${w.id}`, { startsAt: now, endsAt: now + 7_200_000 });
    expect(changed.json()).toMatchObject({ endsAt: now + 7_200_000, reason: null });
    const own = await send('GET', `/api/sites/${site}/maintenance`, undefined, t.fx.customers[0].user.token);
    expect(own.json()).toMatchObject({ items: [{ id: w.id }] });
    expect((await send('GET', `/api/sites/${site}/maintenance`, undefined, t.fx.customers[1].user.token)).statusCode).toBe(404);
    expect((await send('POST', `/api/sites/${site}/maintenance`, { startsAt: now, endsAt: now + 1 }, t.fx.customers[0].user.token)).statusCode).toBe(403);
    expect((await send('DELETE', `/api/sites/${site}/maintenance/${w.id}`)).statusCode).toBe(204);
    expect((await send('DELETE', `/api/sites/${site}/maintenance/${w.id}`)).statusCode).toBe(404);
    const audit = t.ctx.state.sqlite.prepare("select action from audit_log where entity = 'maintenance-window' order by id").all();
    expect(audit).toEqual([{ action: 'maintenance.create' }, { action: 'maintenance.update' }, { action: 'maintenance.delete' }]);
  });

  test('a window must end after it starts', async () => {
    const res = await send('POST', `/api/sites/${site}/maintenance`, { startsAt: now, endsAt: now });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation', details: [{ field: 'body.endsAt' }] } });
  });

  test('deleting the window that holds an alarm back announces the alarm', async () => {
    const changes: AlarmChange[] = [];
    t.ctx.bus.on('alarm', (c) => changes.push(c));
    const agent = { id: (await seedAgent(t.ctx, site)).id, siteId: site, customerId: t.fx.customers[0].id };
    await seedDevice(t.ctx, { agentId: agent.id, deviceId: 'ups-1', kind: 'snmp' });
    const w = (await send('POST', `/api/sites/${site}/maintenance`, { startsAt: now - 1000, endsAt: now + 3_600_000 })).json<{ id: number }>();
    t.ctx.alarms.onReadings(agent, [{ device: 'ups-1', at: now, metrics: { onBattery: true } }]);
    expect(changes).toEqual([]);
    await send('DELETE', `/api/sites/${site}/maintenance/${w.id}`);
    expect(changes.map((c) => [c.kind, c.alarm.type, c.alarm.suppressed])).toEqual([['raised', 'ups-on-battery', false]]);
  });
});
