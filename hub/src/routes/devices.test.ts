import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent, seedDevice, seedReading } from '../test-utils/fixture.js';

describe('devices', () => {
  let t: TestApp;
  let card: number;
  let psu: number;
  let ups: number;
  beforeEach(async () => {
    t = await createTestApp();
    const a = await seedAgent(t.ctx, t.fx.customers[0].siteId, { id: 'acme-1' });
    const b = await seedAgent(t.ctx, t.fx.customers[1].siteId, { id: 'globex-1' });
    card = await seedDevice(t.ctx, { agentId: a.id, deviceId: 'sender-1', kind: 'novastar', model: 'MCTRL4K', capabilities: ['brightness', 'inspect'], state: 'ok' });
    psu = await seedDevice(t.ctx, { agentId: a.id, deviceId: 'psu-1', kind: 'modbus-psu' });
    ups = await seedDevice(t.ctx, { agentId: b.id, deviceId: 'ups-1', kind: 'snmp-ups' });
    await seedReading(t.ctx, card, { at: 1_700_000_000_000, metrics: { temperature: 41.5, online: true }, state: 'ok' });
    await seedReading(t.ctx, card, { component: 'receiver-3', at: 1_700_000_001_000, metrics: { temperature: 55, firmware: '4.6.1' }, state: 'risk' });
    await seedReading(t.ctx, ups, { at: 1_700_000_002_000, metrics: { battery: 97 } });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const list = async (qs = '', token = t.fx.engineer.token) => {
    const res = await t.app.inject({ url: `/api/devices${qs}`, headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    return res.json<{ items: { id: number; deviceId: string; latest: unknown[] }[] }>().items;
  };

  test('the list shows each device with its latest readings per component', async () => {
    const items = await list();
    expect(items.map((d) => d.deviceId)).toEqual(['psu-1', 'sender-1', 'ups-1']);
    expect(items.find((d) => d.id === card)).toEqual({
      id: card,
      agentId: 'acme-1',
      deviceId: 'sender-1',
      siteId: t.fx.customers[0].siteId,
      kind: 'novastar',
      name: null,
      model: 'MCTRL4K',
      firmware: null,
      serial: null,
      parent: null,
      state: 'ok',
      present: true,
      capabilities: ['brightness', 'inspect'],
      lastReadingAt: 1_700_000_001_000,
      latest: [
        { component: '', at: 1_700_000_000_000, metrics: { temperature: 41.5, online: true }, state: 'ok' },
        { component: 'receiver-3', at: 1_700_000_001_000, metrics: { temperature: 55, firmware: '4.6.1' }, state: 'risk' },
      ],
    });
    expect(items.find((d) => d.id === psu)?.latest).toEqual([]);
  });

  test("lastReadingAt is the device's own newest reading when devices.last_reading_at lags it", async () => {
    // Ingest writes the device row behind its latest readings (ingest/latest.ts).
    t.ctx.state.sqlite.prepare("update latest_readings set at = 1700000030000 where device_pk = ? and component = ''").run(card);
    expect((await list()).find((d) => d.id === card)).toMatchObject({ lastReadingAt: 1_700_000_030_000 });
    expect((await list()).find((d) => d.id === psu)).toMatchObject({ lastReadingAt: null });
  });

  test('filters by site, agent and kind', async () => {
    expect((await list(`?siteId=${t.fx.customers[1].siteId}`)).map((d) => d.id)).toEqual([ups]);
    expect((await list('?agentId=acme-1')).map((d) => d.id)).toEqual([psu, card]);
    expect((await list('?kind=novastar')).map((d) => d.id)).toEqual([card]);
    expect(await list('?kind=novastar&agentId=globex-1')).toEqual([]);
  });

  test('one device by its integer id, and 404 for an unknown one', async () => {
    const res = await t.app.inject({ url: `/api/devices/${ups}`, headers: bearer(t.fx.customers[1].user.token) });
    expect(res.json()).toMatchObject({ id: ups, deviceId: 'ups-1', latest: [{ component: '', metrics: { battery: 97 }, state: null }] });
    const missing = await t.app.inject({ url: '/api/devices/99999', headers: bearer(t.fx.admin.token) });
    expect(missing.statusCode).toBe(404);
  });

  test('a corrupt metrics or capabilities column does not break the answer', async () => {
    await t.ctx.state.db.updateTable('latest_readings').set({ metrics: '{not json' }).where('device_pk', '=', ups).execute();
    await t.ctx.state.db.updateTable('devices').set({ capabilities: 'nope' }).where('id', '=', ups).execute();
    const res = await t.app.inject({ url: `/api/devices/${ups}`, headers: bearer(t.fx.admin.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ capabilities: [], latest: [{ metrics: {} }] });
  });
});
