import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelemetryError } from './errors.js';
import { HOUR_MS, MINUTE_MS } from './resolution.js';
import type { SqliteTelemetryStore } from './sqlite.js';
import type { RangeQuery, TelemetryPoint } from './store.js';
import { BASE, point } from './test-utils/conformance.js';
import { type SqliteHarness, sqliteHarness } from './test-utils/sqlite-harness.js';

const DAY = 86_400_000;
/** Two hours of a sawtooth every 10 s. */
const twoHours = (): TelemetryPoint[] => Array.from({ length: 720 }, (_, i) => point({ at: BASE + i * 10_000, metrics: { v: (i * 7) % 23, on: i % 2 === 0 } }));
const q = (over: Partial<RangeQuery>): RangeQuery => ({ agentId: 'agent-1', deviceId: 'psu-1', metric: 'v', from: BASE, to: BASE + 2 * HOUR_MS, ...over });

describe('embedded store rollups and retention', () => {
  let h: SqliteHarness;
  let store: SqliteTelemetryStore;
  const count = (table: string) => (h.state.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeEach(async () => {
    h = await sqliteHarness();
    store = await h.open();
  });
  afterEach(async () => {
    await store.close();
    await h.cleanup();
  });

  it('rolls raw values up into 1-minute and 1-hour buckets that answer like the raw values', async () => {
    await store.write(twoHours());
    expect(store.rollup()).toBe(2);
    expect(count('telemetry_1m')).toBe(2 * 120);
    expect(count('telemetry_1h')).toBe(2 * 2);
    for (const fn of ['mean', 'min', 'max', 'last', 'count'] as const) {
      const fromRollups = await store.query(q({ every: HOUR_MS, fn }));
      const fromRaw = await store.query(q({ every: HOUR_MS, fn, to: BASE + 2 * HOUR_MS - 1 })); // unaligned: raw
      expect(fromRollups.map((x) => x.v)).toEqual(fromRaw.map((x) => x.v));
    }
  });

  it('recomputes a bucket when a replayed batch overwrites a value', async () => {
    await store.write(twoHours());
    store.rollup();
    await store.write([point({ at: BASE + 5 * MINUTE_MS, metrics: { v: 1000 } })]);
    store.rollup();
    expect((await store.query(q({ every: HOUR_MS, fn: 'max' }))).map((x) => x.v)).toEqual([1000, 22]);
    expect((await store.query(q({ every: MINUTE_MS, fn: 'count', to: BASE + 10 * MINUTE_MS })))[5]?.v).toBe(6);
  });

  it('brings the series it reads up to date before answering from rollups', async () => {
    await store.write(twoHours());
    expect((await store.query(q({ every: HOUR_MS, fn: 'count' }))).map((x) => x.v)).toEqual([360, 360]);
    expect(store.rollups.dirty.size).toBe(1); // only `v` was read; `on` waits for the timer
  });

  it('marks a series dirty once per rollup run while readings move forward in time', async () => {
    const points = twoHours();
    for (const p of points.slice(0, 10)) await store.write([p]);
    store.rollup();
    const marks: number[] = [];
    for (const p of points.slice(10, 20)) {
      await store.write([p]);
      marks.push(count('telemetry_dirty'));
    }
    expect(marks).toEqual(Array(10).fill(2));
    expect([...store.rollups.dirty.values()]).toEqual([points[10]?.at, points[10]?.at]);
  });

  it('prunes each table at its own retention, after rolling up', async () => {
    let now = BASE + 3 * HOUR_MS;
    store = await h.open({ now: () => now, rawRetentionDays: 1, minuteRetentionDays: 2, hourRetentionDays: 3 });
    await store.write(twoHours());
    now += DAY + 3 * HOUR_MS;
    expect(store.prune()).toBe(2 * 720);
    expect([count('telemetry_raw'), count('telemetry_1m'), count('telemetry_1h')]).toEqual([0, 240, 4]);
    expect((await store.query(q({ every: HOUR_MS, fn: 'count' }))).map((x) => x.v)).toEqual([360, 360]);
    now += 2 * DAY;
    store.prune();
    expect([count('telemetry_1m'), count('telemetry_1h')]).toEqual([0, 0]);
  });

  it('rejects a reading older than the raw retention with a typed error and a count', async () => {
    const rejected: TelemetryError[] = [];
    store = await h.open({ onRejected: (e) => rejected.push(e) });
    const old = point({ at: Date.now() - 31 * DAY, metrics: { v: 1 } });
    expect(await store.write([old, point({ at: BASE, metrics: { v: 2 } })])).toEqual({ accepted: 1, rejected: 1 });
    expect(rejected.map((e) => [e.code, e.reason])).toEqual([['telemetry-rejected', 'beyond-retention']]);
    expect(store.stats().rejected).toBe(1);
  });

  it('remembers which series need a rollup across a restart', async () => {
    await store.write(twoHours());
    const afterRestart = await h.open(); // reads telemetry_dirty, as a restarted hub does
    expect([...afterRestart.rollups.dirty.values()]).toEqual([BASE, BASE]);
    expect(afterRestart.rollup()).toBe(2);
  });
});
