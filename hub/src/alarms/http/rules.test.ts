import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../test-utils/app.js';
import { seedAgent, seedDevice } from '../../test-utils/fixture.js';
import { DEFAULT_RULES } from '../defaults.js';

describe('alarm rules API', () => {
  let t: TestApp;
  let agents: { id: string; siteId: string; customerId: string }[];
  let cardPk: number;
  const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>, token = t.fx.engineer.token) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload !== undefined ? { payload } : {}) });
  const hot = (temperatureC: number) => agents.forEach((a) => t.ctx.alarms.onReadings(a, [{ device: 'ctrl-1/p0/c0', at: Date.now(), metrics: { temperatureC } }]));
  const open = () => t.ctx.state.sqlite.prepare("select agent_id, type, severity from alarms where state != 'cleared' order by id").all();

  beforeEach(async () => {
    t = await createTestApp();
    agents = [];
    for (const c of t.fx.customers) {
      const id = (await seedAgent(t.ctx, c.siteId)).id;
      agents.push({ id, siteId: c.siteId, customerId: c.id });
      cardPk = await seedDevice(t.ctx, { agentId: id, deviceId: 'ctrl-1/p0/c0', kind: 'novastar' });
    }
  });
  afterEach(async () => {
    await t.cleanup();
  });

  test('the list shows every shipped default, read-only, with its condition', async () => {
    const res = await send('GET', '/api/alarm-rules');
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { id: string; builtIn: boolean }[] }>().items;
    expect(items.map((r) => r.id)).toEqual(DEFAULT_RULES.map((r) => r.id));
    expect(items.find((r) => r.id === 'card-missing')).toEqual({
      id: 'card-missing',
      builtIn: true,
      name: 'Receiving card missing',
      type: 'card-missing',
      severity: 'fault',
      match: { deviceKind: 'novastar*', devicePattern: '*/p*/c*' },
      condition: { state: ['missing'] },
      enabled: true,
      overrides: [],
    });
  });

  test('a site override of a threshold changes when cards on that site raise, and removing it restores the default', async () => {
    const site = t.fx.customers[0].siteId;
    const res = await send('PUT', '/api/alarm-rules/card-temperature-risk/overrides', { scope: 'site', scopeId: site, value: 60, clearValue: 55 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ overrides: [{ scope: 'site', scopeId: site, value: 60, clearValue: 55 }] });
    hot(65);
    expect(open()).toEqual([{ agent_id: agents[0]?.id, type: 'card-over-temperature', severity: 'risk' }]);
    const del = await send('DELETE', `/api/alarm-rules/card-temperature-risk/overrides?scope=site&scopeId=${site}`);
    expect(del.statusCode).toBe(204);
    expect(open()).toHaveLength(1); // rules are evaluated on readings
    hot(64); // below the default clear value again
    expect(open()).toEqual([]);
    const audit = t.ctx.state.sqlite.prepare("select action from audit_log where entity = 'alarm-rule' order by id").all();
    expect(audit).toEqual([{ action: 'alarm-rule.override' }, { action: 'alarm-rule.override.delete' }]);
  });

  test('disabling a rule for one device clears its open alarm there', async () => {
    hot(90);
    expect(open()).toHaveLength(2);
    for (const rule of ['card-temperature-risk', 'card-temperature-fault']) {
      expect((await send('PUT', `/api/alarm-rules/${rule}/overrides`, { scope: 'device', scopeId: String(cardPk), enabled: false })).statusCode).toBe(200);
    }
    expect(open()).toEqual([{ agent_id: agents[0]?.id, type: 'card-over-temperature', severity: 'fault' }]);
  });

  test('overrides that do not fit their rule or name an unknown scope are refused', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['card-missing', { scope: 'global', scopeId: '', value: 3 }, /metric rules only/],
      ['card-temperature-risk', { scope: 'global', scopeId: '', clearValue: 80 }, /clear side/],
      ['card-temperature-risk', { scope: 'global', scopeId: '', value: 60 }, /clearValue 65 must lie on the clear side of value 60/],
      ['card-temperature-risk', { scope: 'site', scopeId: 'nowhere', severity: 'fault' }, /no site "nowhere"/],
      ['card-temperature-risk', { scope: 'global', scopeId: '' }, /no field to override/],
    ];
    for (const [rule, body, why] of cases) {
      const res = await send('PUT', `/api/alarm-rules/${rule}/overrides`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'validation', message: expect.stringMatching(why) as unknown });
    }
    expect((await send('PUT', '/api/alarm-rules/nope/overrides', { scope: 'global', scopeId: '', enabled: false })).statusCode).toBe(404);
  });

  test('custom rules are added, replaced and deleted; defaults cannot be', async () => {
    const body = { name: 'Card very bright', type: 'card-bright', severity: 'info', match: { devicePattern: '*/p*/c*' }, condition: { metric: 'brightness', op: '>', value: 250 } };
    const created = await send('POST', '/api/alarm-rules', body);
    expect(created.statusCode).toBe(201);
    const id = created.json<{ id: string }>().id;
    expect(created.json()).toMatchObject({ ...body, id, builtIn: false, enabled: true });
    agents.forEach((a) => t.ctx.alarms.onReadings(a, [{ device: 'ctrl-1/p0/c0', at: Date.now(), metrics: { brightness: 255 } }]));
    expect(open()).toHaveLength(2);
    const replaced = await send('PUT', `/api/alarm-rules/${id}`, { ...body, severity: 'risk' });
    expect(replaced.json()).toMatchObject({ id, severity: 'risk' });
    expect((await send('DELETE', `/api/alarm-rules/${id}`)).statusCode).toBe(204);
    expect(open()).toEqual([]);
    expect((await send('PUT', '/api/alarm-rules/card-missing', body)).statusCode).toBe(409);
    expect((await send('DELETE', '/api/alarm-rules/card-missing')).statusCode).toBe(409);
    const bad = await send('POST', '/api/alarm-rules', { ...body, condition: { metric: 'brightness', op: '>', value: 'high' } });
    expect(bad.statusCode).toBe(400);
  });

  test("customers read the rules but see only their own scopes' overrides, and change nothing", async () => {
    await send('PUT', '/api/alarm-rules/card-door-open/overrides', { scope: 'site', scopeId: t.fx.customers[1].siteId, severity: 'fault' });
    await send('PUT', '/api/alarm-rules/card-door-open/overrides', { scope: 'customer', scopeId: t.fx.customers[0].id, enabled: false });
    const viewer = t.fx.customers[0].user.token;
    const res = await send('GET', '/api/alarm-rules/card-door-open', undefined, viewer);
    expect(res.json()).toMatchObject({ overrides: [{ scope: 'customer', scopeId: t.fx.customers[0].id, enabled: false }] });
    expect(res.json<{ overrides: unknown[] }>().overrides).toHaveLength(1);
    expect((await send('PUT', '/api/alarm-rules/card-door-open/overrides', { scope: 'global', scopeId: '', enabled: false }, viewer)).statusCode).toBe(403);
  });
});
