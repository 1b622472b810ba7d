import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../../test/support/influxd.js';
import { serviceAvailable } from '../../../test/support/services.js';
import { type InfluxHarness, influxHarness } from './test-utils/influx-harness.js';
import { agentWrites, measureWrites, medianMs, report } from './test-utils/speed.js';

const DAY = 86_400_000;

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('InfluxDB store speed (printed, not asserted against a clock)', () => {
  let influxd: RunningInfluxd;
  let h: InfluxHarness;
  beforeAll(async () => {
    influxd = await startInfluxd();
    h = await influxHarness(influxd.url);
  });
  afterAll(async () => {
    await h.cleanup();
    await influxd.stop();
  });

  it('writes live readings of 1000 agents and outboxes flushed after an outage', async () => {
    const store = await h.open({ flushIntervalMs: 100 });
    const start = Date.now() - DAY;
    await store.ensureDatabase();
    const live = await measureWrites(store, agentWrites({ agents: 1000, devices: 10, times: 1, messages: 10_000, start }), 1000);
    const flushed = await measureWrites(store, agentWrites({ agents: 100, devices: 10, times: 100, messages: 100, start: start + 3_600_000 }), 8);
    report(`InfluxDB write, live (10 readings per write, 1000 in flight): ${Math.round(live)} readings/s`);
    report(`InfluxDB write, outbox flush (1000 readings per write, 8 in flight): ${Math.round(flushed)} readings/s`);
    expect(store.stats()).toMatchObject({ written: 200_000, rejected: 0 });
    await store.close();
  });

  it('answers 24 h of one device at 1-minute resolution', async () => {
    const store = await h.open();
    const day = Math.floor(Date.now() / DAY) * DAY - DAY;
    for (const w of agentWrites({ agents: 1, devices: 1, times: 8640, messages: 1, start: day })) await store.write(w);
    const q = { agentId: 'agent-0', deviceId: 'dev-0', metric: 'temperatureC', every: 60_000, from: day, to: day + DAY } as const;
    report(`InfluxDB 24 h at 1 min: ${(await medianMs(7, () => store.query(q))).toFixed(2)} ms over 8640 raw points`);
    expect(await store.query(q)).toHaveLength(1440);
    await store.close();
  });
});
