import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../../test/support/influxd.js';
import { serviceAvailable, waitFor } from '../../../test/support/services.js';
import type { InfluxTelemetryStore } from './influx.js';
import type { TelemetryPoint, WriteResult } from './store.js';
import { BASE, point } from './test-utils/conformance.js';
import { type InfluxHarness, influxHarness } from './test-utils/influx-harness.js';

const DEVICES = 5;

/** n points with distinct times, spread round-robin over the devices. */
const burst = (n: number, offset: number): TelemetryPoint[] =>
  Array.from({ length: n }, (_, i) => point({ deviceId: `dev-${i % DEVICES}`, at: BASE + (offset + i) * 1000, metrics: { n: offset + i } }));

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('InfluxDB store while influxd is down', () => {
  let influxd: RunningInfluxd;
  let h: InfluxHarness;
  let store: InfluxTelemetryStore;

  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd.stop();
  });
  beforeEach(async () => {
    h = await influxHarness(influxd.url);
    store = await h.open({ maxBufferedPoints: 500, batchSize: 100, retryBaseDelayMs: 10, retryMaxDelayMs: 100, closeTimeoutMs: 300 });
    await store.write(burst(100, 0)); // the database exists, the connection is warm
  });
  afterEach(async () => {
    if (!influxd.running()) await influxd.restart();
    await store.close().catch(() => undefined);
    await h.cleanup();
  });

  it('holds points, pushes back when the buffer is full, and stores each exactly once after a restart', async () => {
    await influxd.kill();
    const settled: WriteResult[] = [];
    const writes = [burst(300, 100), burst(200, 400), burst(100, 600)].map((b) => store.write(b).then((r) => (settled.push(r), r)));
    await waitFor('write retries', () => store.stats().retries >= 3 || undefined);
    expect(store.stats()).toMatchObject({ buffered: 500, waitingWriters: 1 });
    expect(settled).toEqual([]);
    expect((await store.health()).ok).toBe(false);

    await influxd.restart();
    expect(await Promise.all(writes)).toEqual([300, 200, 100].map((accepted) => ({ accepted, rejected: 0 })));
    for (let d = 0; d < DEVICES; d++) {
      const count = await store.query({ agentId: 'agent-1', deviceId: `dev-${d}`, metric: 'n', from: BASE, to: BASE + 3_600_000, every: 3_600_000, fn: 'count' });
      expect(count).toEqual([{ t: BASE, v: 700 / DEVICES }]);
    }
    expect(await h.influxql('SELECT count(n) FROM ledwatch_raw.reading')).toEqual([[0, 700]]);
    expect((await store.health()).ok).toBe(true);
  });

  it('fails writes it could not store within the close() timeout with telemetry-closed', async () => {
    await influxd.kill();
    const pending = store.write(burst(10, 100));
    await store.close();
    await expect(pending).rejects.toMatchObject({ code: 'telemetry-closed' });
  });
});
