import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent, seedDevice } from '../test-utils/fixture.js';
import { worstOf } from './fleet.js';

interface FleetRow {
  siteId: string;
  worst: string;
  agentsOnline: number;
  agentsOffline: number;
  devices: number;
  devicesFault: number;
  devicesWarn: number;
  openAlarms: number;
  alarmsBySeverity: Record<string, number>;
  openTickets: number;
  slaBreaches: number;
}

describe('GET /api/fleet', () => {
  let t: TestApp;
  let acme: string;
  let globex: string;

  beforeEach(async () => {
    t = await createTestApp();
    acme = t.fx.customers[0].siteId;
    globex = t.fx.customers[1].siteId;
    const a1 = await seedAgent(t.ctx, acme, { id: 'acme-1', online: true });
    await seedAgent(t.ctx, acme, { id: 'acme-2', online: false });
    await seedAgent(t.ctx, globex, { id: 'globex-1', online: true });
    await seedDevice(t.ctx, { agentId: a1.id, deviceId: 'ctrl-1', kind: 'novastar', state: 'ok' });
    await seedDevice(t.ctx, { agentId: a1.id, deviceId: 'ctrl-1/p0/c0', kind: 'novastar', state: 'missing' });
    await seedDevice(t.ctx, { agentId: a1.id, deviceId: 'ctrl-1/p0/c1', kind: 'novastar', state: 'warn' });
    await seedDevice(t.ctx, { agentId: 'globex-1', deviceId: 'ups-1', kind: 'snmp', state: 'ok' });
    const now = t.ctx.now();
    await t.ctx.state.db
      .insertInto('alarms')
      .values({ agent_id: 'acme-1', device_id: 'ctrl-1/p0/c0', component: '', type: 'card-missing', severity: 'fault', state: 'active', rule_id: null, site_id: acme, customer_id: t.fx.customers[0].id, first_seen: now, last_seen: now, count: 1, last_value: null, message: null, acked_by: null, acked_at: null, cleared_at: null, clear_reason: null, flapping: 0, suppressed: 0 })
      .execute();
    const open = async (siteId: string) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/tickets', headers: bearer(t.fx.engineer.token), payload: { siteId, title: 'Wall dark', description: '', severity: 'fault', channel: 'phone' } });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: number }>().id;
    };
    const late = await open(acme);
    await open(acme);
    await t.ctx.state.db.updateTable('tickets').set({ respond_by: now - 1000 }).where('id', '=', late).execute();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const fleet = async (token: string) => {
    const res = await t.app.inject({ url: '/api/fleet', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: FleetRow[] }>().items;
  };

  test('an engineer sees every site with agents, device health, alarms, tickets and SLA breaches', async () => {
    const items = await fleet(t.fx.engineer.token);
    expect(items.map((i) => i.siteId).sort()).toEqual([acme, globex].sort());
    expect(items.find((i) => i.siteId === acme)).toMatchObject({
      worst: 'fault',
      agentsOnline: 1,
      agentsOffline: 1,
      devices: 3,
      devicesFault: 1,
      devicesWarn: 1,
      openAlarms: 1,
      alarmsBySeverity: { info: 0, risk: 0, fault: 1, critical: 0 },
      openTickets: 2,
      slaBreaches: 1,
    });
    expect(items.find((i) => i.siteId === globex)).toMatchObject({ worst: 'ok', agentsOnline: 1, agentsOffline: 0, devices: 1, openAlarms: 0, openTickets: 0, slaBreaches: 0 });
  });

  test("a customer sees only its own customer's sites", async () => {
    const items = await fleet(t.fx.customers[1].user.token);
    expect(items.map((i) => i.siteId)).toEqual([globex]);
  });

  test('needs a token', async () => {
    expect((await t.app.inject({ url: '/api/fleet' })).statusCode).toBe(401);
  });
});

describe('worstOf', () => {
  const base = { agentsOnline: 1, agentsOffline: 0, devicesFault: 0, devicesWarn: 0, alarmsBySeverity: { info: 0, risk: 0, fault: 0, critical: 0 } };
  test('ranks fault over an offline agent over a warning over ok, and a site without agents as none', () => {
    expect(worstOf({ ...base, agentsOffline: 1, alarmsBySeverity: { ...base.alarmsBySeverity, critical: 1 } })).toBe('fault');
    expect(worstOf({ ...base, agentsOffline: 1, devicesWarn: 3 })).toBe('offline');
    expect(worstOf({ ...base, alarmsBySeverity: { ...base.alarmsBySeverity, risk: 1 } })).toBe('warn');
    expect(worstOf(base)).toBe('ok');
    expect(worstOf({ ...base, agentsOnline: 0 })).toBe('none');
  });
});
