import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent, seedDevice } from '../test-utils/context.js';

describe('device history API', () => {
  let t: TestApp;
  let devicePk: number;
  const start = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000; // a whole minute, an hour ago

  beforeAll(async () => {
    t = await createTestApp();
    const acme = t.fx.customers[0];
    const agent = await seedAgent(t.ctx, acme.siteId, { id: 'acme-agent' });
    devicePk = await seedDevice(t.ctx, { agentId: agent.id, deviceId: 'ctrl-1/p0/c3', kind: 'novastar-receiving-card' });
    // Every 10 s for 10 minutes: temperature 30 + minute index, with the seconds as decimals.
    const points = Array.from({ length: 60 }, (_, i) => ({
      customerId: acme.id,
      siteId: acme.siteId,
      agentId: agent.id,
      deviceId: 'ctrl-1/p0/c3',
      component: '',
      at: start + i * 10_000,
      metrics: { temperatureC: 30 + Math.floor(i / 6) + (i % 6) / 10 },
    }));
    await t.ctx.telemetry.write(points);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const get = (url: string, token = t.fx.admin.token, accept?: string) =>
    t.app.inject({ method: 'GET', url, headers: { ...bearer(token), ...(accept ? { accept } : {}) } });

  it('returns raw values over a range', async () => {
    const res = await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC&from=${start}&to=${start + 60_000}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ metric: 'temperatureC', component: '', every: null, fn: null });
    expect(body.points).toHaveLength(6);
    expect(body.points[0]).toEqual({ t: start, v: 30 });
  });

  it('aggregates per window with each function', async () => {
    const base = `/api/devices/${devicePk}/telemetry?metric=temperatureC&from=${start}&to=${start + 600_000}&every=1m`;
    const max = (await get(`${base}&fn=max`)).json().points;
    expect(max).toHaveLength(10);
    expect(max[0]).toEqual({ t: start, v: 30.5 });
    expect(max[9]).toEqual({ t: start + 540_000, v: 39.5 });
    expect((await get(`${base}&fn=min`)).json().points[1]).toEqual({ t: start + 60_000, v: 31 });
    expect((await get(`${base}&fn=mean`)).json().points[2].v).toBeCloseTo(32.25, 5);
    expect((await get(`${base}&fn=last`)).json().points[3]).toEqual({ t: start + 180_000, v: 33.5 });
  });

  it('answers CSV when asked', async () => {
    const res = await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC&from=${start}&to=${start + 20_000}`, t.fx.admin.token, 'text/csv');
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.body.split('\n')).toEqual(['time,iso_time,value', `${start},${new Date(start).toISOString()},30`, `${start + 10_000},${new Date(start + 10_000).toISOString()},30.1`, '']);
  });

  it('accepts ISO times', async () => {
    const res = await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC&from=${new Date(start).toISOString()}&to=${new Date(start + 10_000).toISOString()}`);
    expect(res.json().points).toEqual([{ t: start, v: 30 }]);
  });

  it('gives the newest stored reading per component', async () => {
    const res = await get(`/api/devices/${devicePk}/telemetry/latest`);
    expect(res.json().items).toEqual([{ component: '', at: start + 590_000, metrics: { temperatureC: 39.5 }, state: null }]);
  });

  it('refuses a bad range or window with the field named', async () => {
    const bad = await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC&from=${start + 10}&to=${start}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe('querystring.from');
    const tooMany = await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC&from=0&to=${start}&every=1s`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.details[0].field).toBe('querystring.every');
    const notTime = await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC&from=yesterday`);
    expect(notTime.statusCode).toBe(400);
  });

  it('hides another customer’s device', async () => {
    const other = t.fx.customers[1].user.token;
    expect((await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC`, other)).statusCode).toBe(404);
    expect((await get(`/api/devices/${devicePk}/telemetry?metric=temperatureC`, t.fx.customers[0].user.token)).statusCode).toBe(200);
  });
});
