import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteTelemetryStore } from './sqlite.js';
import { agentWrites, measureWrites, medianMs, report } from './test-utils/speed.js';
import { type SqliteHarness, sqliteHarness } from './test-utils/sqlite-harness.js';

const DAY = 86_400_000;

describe('embedded store speed (printed, not asserted against a clock)', () => {
  let h: SqliteHarness;
  let store: SqliteTelemetryStore;
  beforeEach(async () => {
    h = await sqliteHarness();
    store = await h.open();
  });
  afterEach(async () => {
    await store.close();
    await h.cleanup();
  });

  it('writes live readings of 1000 agents and outboxes flushed after an outage', async () => {
    const start = Date.now() - DAY;
    const live = agentWrites({ agents: 1000, devices: 10, times: 1, messages: 10_000, start });
    const flushed = agentWrites({ agents: 100, devices: 10, times: 100, messages: 100, start: start + 3_600_000 });
    const liveRate = await measureWrites(store, live, 200);
    const flushRate = await measureWrites(store, flushed, 8);
    report(`SQLite write, live (10 readings per write, 200 in flight): ${Math.round(liveRate)} readings/s = ${Math.round(liveRate * 6)} values/s`);
    report(`SQLite write, outbox flush (1000 readings per write, 8 in flight): ${Math.round(flushRate)} readings/s = ${Math.round(flushRate * 6)} values/s`);
    expect(store.stats().written).toBe(200_000);
  });

  it('answers 24 h of one device at 1-minute resolution', async () => {
    const day = Math.floor(Date.now() / DAY) * DAY - DAY;
    for (const w of agentWrites({ agents: 1, devices: 1, times: 8640, messages: 1, start: day })) await store.write(w);
    store.rollup();
    const q = { agentId: 'agent-0', deviceId: 'dev-0', metric: 'temperatureC', every: 60_000 } as const;
    const aligned = await medianMs(7, () => store.query({ ...q, from: day, to: day + DAY }));
    const unaligned = await medianMs(7, () => store.query({ ...q, from: day + 12_345, to: day + DAY + 12_345 }));
    report(`SQLite 24 h at 1 min: ${aligned.toFixed(2)} ms from 1-minute rollups, ${unaligned.toFixed(2)} ms from 8640 raw values`);
    expect(await store.query({ ...q, from: day, to: day + DAY })).toHaveLength(1440);
  });
});
