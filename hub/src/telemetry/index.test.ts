import { afterEach, describe, expect, it } from 'vitest';
import { loadHubConfig } from '../config.js';
import { type TestContext, createTestContext } from '../test-utils/context.js';
import { type TelemetryStore, createTelemetryStore, isLoopbackUrl, toTelemetryPoints } from './index.js';

describe('createTelemetryStore', () => {
  let ctx: TestContext | undefined;
  let store: TelemetryStore | undefined;
  afterEach(async () => {
    await store?.close();
    await ctx?.cleanup();
  });

  it('uses the embedded SQLite store when no InfluxDB is configured, counting into /metrics', async () => {
    ctx = await createTestContext();
    store = createTelemetryStore(ctx);
    expect(store.kind).toBe('sqlite');
    await store.write([{ customerId: 'c', siteId: 's', agentId: 'a', deviceId: 'd', component: '', at: Date.now(), metrics: { n: 1 } }]);
    expect(await ctx.metrics.registry.metrics()).toMatch(/ledwatch_telemetry_points_written_total\{store="sqlite"\} 1/);
  });

  it('uses InfluxDB when influx.url is set', async () => {
    ctx = await createTestContext({ config: { influx: { url: 'http://127.0.0.1:9', database: 'fleet' } } });
    store = createTelemetryStore(ctx);
    expect(store.kind).toBe('influx');
    expect(await store.health()).toMatchObject({ ok: false, detail: { database: 'fleet' } });
  });

  it('reads the InfluxDB URL and database from LEDWATCH_INFLUX_URL and LEDWATCH_INFLUX_DATABASE', () => {
    const config = loadHubConfig({ env: { LEDWATCH_INFLUX_URL: 'http://influxdb:8086', LEDWATCH_INFLUX_DATABASE: 'fleet' } });
    expect(config.influx).toMatchObject({ url: 'http://influxdb:8086', database: 'fleet', retentionPolicy: 'ledwatch_raw', gzip: 'auto', writeConcurrency: 2 });
    expect(config.telemetry).toEqual({ rawRetentionDays: 30, minuteRetentionDays: 90, hourRetentionDays: 1825, rollupIntervalS: 60, pruneIntervalS: 3600 });
  });

  it('refuses an InfluxDB URL that is not http(s), naming the key', () => {
    expect(() => loadHubConfig({ env: { LEDWATCH_INFLUX_URL: 'influxdb:8086' } })).toThrow(/influx\.url/);
  });
});

describe('isLoopbackUrl (influx.gzip auto: no gzip to an InfluxDB on this machine)', () => {
  it('knows loopback hosts from others', () => {
    for (const u of ['http://127.0.0.1:8086', 'http://127.3.2.1', 'http://localhost:8086', 'http://[::1]:8086']) expect(isLoopbackUrl(u), u).toBe(true);
    for (const u of ['http://influxdb:8086', 'https://10.0.0.5:8086', 'http://128.0.0.1', 'http://[::2]:1']) expect(isLoopbackUrl(u), u).toBe(false);
  });
});

describe('toTelemetryPoints', () => {
  it('turns contract readings into points of their agent, with component "" for the device', () => {
    const owner = { customerId: 'c', siteId: 's', agentId: 'a' };
    expect(toTelemetryPoints(owner, [{ device: 'd', at: 1, metrics: { n: 1 }, state: 'ok' }, { device: 'd', component: 'fan', at: 2, metrics: {} }])).toEqual([
      { ...owner, deviceId: 'd', component: '', at: 1, metrics: { n: 1 }, state: 'ok' },
      { ...owner, deviceId: 'd', component: 'fan', at: 2, metrics: {} },
    ]);
  });
});
