import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../../test/support/influxd.js';
import { serviceAvailable } from '../../../test/support/services.js';
import type { TelemetryError } from './errors.js';
import type { InfluxTelemetryStore } from './influx.js';
import { BASE, point } from './test-utils/conformance.js';
import { type InfluxHarness, influxHarness } from './test-utils/influx-harness.js';
import { recordingProxy } from './test-utils/recording-proxy.js';

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('InfluxDB writer against a real influxd', () => {
  let influxd: RunningInfluxd;
  let h: InfluxHarness;
  let store: InfluxTelemetryStore | undefined;

  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd.stop();
  });
  beforeEach(async () => {
    h = await influxHarness(influxd.url);
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await h.cleanup();
  });

  it('creates the database and its default retention policy when they are missing', async () => {
    store = await h.open({ rawRetentionDays: 30 });
    await store.write([point({ at: BASE, metrics: { n: 1 } })]);
    expect((await h.influxql('SHOW DATABASES')).flat()).toContain(h.database);
    expect(await h.influxql(`SHOW RETENTION POLICIES ON "${h.database}"`)).toContainEqual(['ledwatch_raw', '720h0m0s', expect.any(String), 1, true]);
  });

  it('changes the retention policy duration to match the configuration', async () => {
    store = await h.open({ rawRetentionDays: 30 });
    await store.write([point({ at: BASE, metrics: { n: 1 } })]);
    await store.close();
    store = await h.open({ rawRetentionDays: 7 });
    await store.ensureDatabase();
    expect(await h.influxql(`SHOW RETENTION POLICIES ON "${h.database}"`)).toContainEqual(['ledwatch_raw', '168h0m0s', expect.any(String), 1, true]);
  });

  it('sends gzip bodies with precision=ms and the configured token', async () => {
    const proxy = await recordingProxy(influxd.url);
    try {
      store = await h.open({ url: proxy.url, token: 'secret-token' });
      await store.write([point({ at: BASE, metrics: { n: 1 } })]);
      const write = proxy.requests.find((r) => r.path.startsWith('/write'));
      expect(write?.headers['content-encoding']).toBe('gzip');
      expect(write?.headers.authorization).toBe('Token secret-token');
      expect(write?.path).toMatch(/precision=ms/);
      expect(await store.query({ agentId: 'agent-1', deviceId: 'psu-1', metric: 'n', from: BASE, to: BASE + 1 })).toEqual([{ t: BASE, v: 1 }]);
    } finally {
      await proxy.close();
    }
  });

  it('drops a point the server rejects with a typed error, counts it and stores the rest', async () => {
    const rejected: TelemetryError[] = [];
    store = await h.open({ onRejected: (e) => rejected.push(e) });
    await store.write([point({ at: BASE, metrics: { voltageV: 12 } })]);
    const result = await store.write([
      point({ at: BASE + 1000, metrics: { voltageV: 12.5 } }),
      point({ at: BASE + 2000, metrics: { voltageV: 'high' } }),
      point({ at: BASE + 3000, metrics: { voltageV: 13 } }),
    ]);
    expect(result).toEqual({ accepted: 2, rejected: 1 });
    expect(rejected.map((e) => [e.code, e.reason])).toEqual([['telemetry-rejected', 'field-type-conflict']]);
    expect(store.stats().rejected).toBe(1);
    await expect(store.write([point({ at: BASE + 4000, metrics: { voltageV: 14 } })])).resolves.toEqual({ accepted: 1, rejected: 0 });
    const values = await store.query({ agentId: 'agent-1', deviceId: 'psu-1', metric: 'voltageV', from: BASE, to: BASE + 5000 });
    expect(values.map((v) => v.v)).toEqual([12, 12.5, 13, 14]);
  });

  it('round-trips string values with quotes, backslashes and line breaks', async () => {
    store = await h.open();
    const metrics = { message: 'say "hi"\\ \nnext line', path: 'C:\\' };
    await store.write([point({ at: BASE, metrics })]);
    expect(await store.latest({ agentId: 'agent-1', deviceId: 'psu-1' })).toEqual([{ component: '', at: BASE, metrics }]);
  });
});
