/**
 * The contract every telemetry store passes (STYLE rule 9): run it with a harness that
 * opens stores on fresh backing storage (a new SQLite file, a new InfluxDB database).
 * Times sit a few hours back from now, inside any raw retention.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelemetryError } from '../errors.js';
import type { AggregateFn, RangeQuery, TelemetryPoint, TelemetryStore } from '../store.js';

export interface StoreHarness {
  /** A store on this harness's storage; opening again reaches the same data. */
  open(): Promise<TelemetryStore>;
  cleanup(): Promise<void>;
}

const MIN = 60_000;
/** An hour boundary three hours ago: windows and rollup buckets line up with it. */
export const BASE = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;

export const point = (over: Partial<TelemetryPoint> & Pick<TelemetryPoint, 'at' | 'metrics'>): TelemetryPoint => ({
  customerId: 'cust-1',
  siteId: 'site-1',
  agentId: 'agent-1',
  deviceId: 'psu-1',
  component: '',
  ...over,
});

/** temperatureC every 10 s for 3 minutes: minute m holds 10m+0 … 10m+5. */
const series = () => Array.from({ length: 18 }, (_, i) => point({ at: BASE + i * 10_000, metrics: { temperatureC: 10 * Math.floor(i / 6) + (i % 6) } }));

const q = (over: Partial<RangeQuery> = {}): RangeQuery => ({ agentId: 'agent-1', deviceId: 'psu-1', metric: 'temperatureC', from: BASE, to: BASE + 4 * MIN, ...over });

export function describeTelemetryStore(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`${name} telemetry store (conformance)`, () => {
    let harness: StoreHarness;
    let store: TelemetryStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });

    afterEach(async () => {
      await store.close();
      await harness.cleanup();
    });

    it('returns the newest point of each component as the latest reading', async () => {
      await store.write([
        point({ at: BASE, metrics: { voltageV: 11.9, online: true }, state: 'ok' }),
        point({ at: BASE + MIN, metrics: { voltageV: 12.1, online: true, mode: 'eco' }, state: 'warn' }),
        point({ at: BASE + 2 * MIN, component: 'fan-1', metrics: { rpm: 1200 } }),
      ]);
      expect(await store.latest({ agentId: 'agent-1', deviceId: 'psu-1' })).toEqual([
        { component: '', at: BASE + MIN, metrics: { voltageV: 12.1, online: true, mode: 'eco' }, state: 'warn' },
        { component: 'fan-1', at: BASE + 2 * MIN, metrics: { rpm: 1200 } },
      ]);
      expect(await store.latest({ agentId: 'agent-1', deviceId: 'psu-1', component: 'fan-1' })).toEqual([{ component: 'fan-1', at: BASE + 2 * MIN, metrics: { rpm: 1200 } }]);
    });

    it('answers a raw range query with every value in [from, to), oldest first', async () => {
      await store.write(series());
      const values = await store.query(q({ from: BASE + 20_000, to: BASE + 70_000 }));
      expect(values).toEqual([20, 30, 40, 50, 60].map((s, i) => ({ t: BASE + s * 1000, v: [2, 3, 4, 5, 10][i] })));
    });

    it('aggregates epoch-aligned windows with mean, min, max, last and count', async () => {
      await store.write(series());
      const windows = (fn: AggregateFn) => store.query(q({ every: MIN, fn })).then((r) => r.map((x) => x.v));
      const means = await windows('mean');
      expect(means.slice(0, 3).map((v) => Number(v))).toEqual([2.5, 12.5, 22.5]);
      expect(means[3]).toBeNull();
      expect(await windows('min')).toEqual([0, 10, 20, null]);
      expect(await windows('max')).toEqual([5, 15, 25, null]);
      expect(await windows('last')).toEqual([5, 15, 25, null]);
      expect(await windows('count')).toEqual([6, 6, 6, 0]);
      expect((await store.query(q({ every: MIN }))).map((x) => x.t)).toEqual([0, 1, 2, 3].map((m) => BASE + m * MIN));
    });

    it('aggregates windows of several minutes and windows that are not whole minutes alike', async () => {
      await store.write(series());
      expect(await store.query(q({ every: 2 * MIN, fn: 'max' }))).toEqual([{ t: BASE, v: 15 }, { t: BASE + 2 * MIN, v: 25 }]);
      expect((await store.query(q({ every: 90_000, fn: 'count' }))).map((x) => x.v)).toEqual([9, 9, 0]);
      const shifted = await store.query(q({ from: BASE + 30_000, every: MIN, fn: 'count' }));
      expect(shifted.map((x) => [x.t, x.v])).toEqual([[BASE, 3], [BASE + MIN, 6], [BASE + 2 * MIN, 6], [BASE + 3 * MIN, 0]]);
    });

    it('keeps components of one device apart', async () => {
      await store.write([
        point({ at: BASE, metrics: { temperatureC: 30 } }),
        point({ at: BASE, component: 'fan-1', metrics: { temperatureC: 40 } }),
        point({ at: BASE + 1000, component: 'fan-2', metrics: { temperatureC: 50 } }),
      ]);
      expect(await store.query(q())).toEqual([{ t: BASE, v: 30 }]);
      expect(await store.query(q({ component: 'fan-2' }))).toEqual([{ t: BASE + 1000, v: 50 }]);
      expect((await store.latest({ agentId: 'agent-1', deviceId: 'psu-1' })).map((r) => r.component)).toEqual(['', 'fan-1', 'fan-2']);
    });

    it('overwrites a replayed batch instead of storing it twice', async () => {
      const batch = series();
      await store.write(batch);
      await store.write(batch);
      expect(await store.query(q())).toHaveLength(18);
      expect((await store.query(q({ every: MIN, fn: 'count' }))).map((x) => x.v)).toEqual([6, 6, 6, 0]);
      await store.write([point({ at: BASE, metrics: { temperatureC: 99 } })]);
      expect((await store.query(q({ to: BASE + 1 })))).toEqual([{ t: BASE, v: 99 }]);
      expect((await store.query(q({ every: MIN, fn: 'max' })))[0]?.v).toBe(99);
    });

    it('accepts points out of order and answers in time order', async () => {
      const shuffled = series().reverse();
      for (const p of [shuffled.slice(0, 9), shuffled.slice(9)]) await store.write(p);
      expect((await store.query(q())).map((x) => x.t)).toEqual(series().map((p) => p.at));
      expect((await store.latest({ agentId: 'agent-1', deviceId: 'psu-1' }))[0]?.at).toBe(BASE + 170_000);
      expect((await store.query(q({ every: MIN, fn: 'last' }))).map((x) => x.v)).toEqual([5, 15, 25, null]);
    });

    it('keeps strings and booleans with their type and leaves them out of numeric aggregates', async () => {
      await store.write([
        point({ at: BASE, metrics: { doorOpen: false, ribbonMap: '0102' } }),
        point({ at: BASE + 10_000, metrics: { doorOpen: true, ribbonMap: '0304' } }),
      ]);
      expect(await store.query(q({ metric: 'doorOpen' }))).toEqual([{ t: BASE, v: false }, { t: BASE + 10_000, v: true }]);
      expect(await store.query(q({ metric: 'ribbonMap', every: MIN, fn: 'last', to: BASE + MIN }))).toEqual([{ t: BASE, v: '0304' }]);
      expect(await store.query(q({ metric: 'doorOpen', every: MIN, fn: 'last', to: BASE + MIN }))).toEqual([{ t: BASE, v: true }]);
      for (const fn of ['mean', 'min', 'max'] as const) {
        expect(await store.query(q({ metric: 'ribbonMap', every: MIN, fn, to: BASE + MIN }))).toEqual([{ t: BASE, v: null }]);
        expect(await store.query(q({ metric: 'doorOpen', every: MIN, fn, to: BASE + MIN }))).toEqual([{ t: BASE, v: null }]);
      }
      expect(await store.query(q({ metric: 'doorOpen', every: MIN, fn: 'count', to: BASE + MIN }))).toEqual([{ t: BASE, v: 2 }]);
    });

    it('stores metric names that are also tag names or InfluxDB keywords', async () => {
      const metrics = { time: 1, agent: 2, device: 'x', component: true, state: 'on', select: 3 };
      await store.write([point({ at: BASE, metrics, state: 'fault' })]);
      expect(await store.latest({ agentId: 'agent-1', deviceId: 'psu-1' })).toEqual([{ component: '', at: BASE, metrics, state: 'fault' }]);
      expect(await store.query(q({ metric: 'time' }))).toEqual([{ t: BASE, v: 1 }]);
    });

    it('keeps component names with spaces, commas, quotes, backslashes and line breaks exact', async () => {
      const names = ['C:\\', 'fan 1,left', 'say "hi"', "it's=ok", 'line\nbreak', '50%'];
      await store.write(names.map((component, i) => point({ at: BASE + i, component, metrics: { usedPct: i } })));
      expect((await store.latest({ agentId: 'agent-1', deviceId: 'psu-1' })).map((r) => r.component).sort()).toEqual([...names].sort());
      for (const [i, component] of names.entries()) expect(await store.query(q({ component, metric: 'usedPct' }))).toEqual([{ t: BASE + i, v: i }]);
    });

    it('keeps text outside ASCII exact, in names and in string values', async () => {
      await store.write([
        point({ at: BASE, metrics: { mode: 'plain' } }),
        point({ at: BASE, component: 'Bühne 北-1', metrics: { label: 'Größe ✓ 😀', levelPct: 5 }, state: 'café' }),
      ]);
      expect(await store.latest({ agentId: 'agent-1', deviceId: 'psu-1', component: 'Bühne 北-1' })).toEqual([
        { component: 'Bühne 北-1', at: BASE, metrics: { label: 'Größe ✓ 😀', levelPct: 5 }, state: 'café' },
      ]);
    });

    it('stores many series in one write and keeps each apart', async () => {
      const points: TelemetryPoint[] = [];
      for (let a = 0; a < 10; a++)
        for (let d = 0; d < 10; d++)
          for (let c = 0; c < 3; c++)
            for (let t = 0; t < 10; t++) points.push(point({ agentId: `agent-${a}`, deviceId: `dev-${d}`, component: c === 0 ? '' : `c${c}`, at: BASE + t * 1000, metrics: { v: a * 1000 + d * 10 + c, t } }));
      expect(await store.write(points)).toEqual({ accepted: 3000, rejected: 0 });
      expect(await store.query(q({ agentId: 'agent-7', deviceId: 'dev-3', component: 'c2', metric: 'v', every: MIN, fn: 'count', to: BASE + MIN }))).toEqual([{ t: BASE, v: 10 }]);
      expect((await store.latest({ agentId: 'agent-9', deviceId: 'dev-9' })).map((r) => r.metrics)).toEqual([{ v: 9090, t: 9 }, { v: 9091, t: 9 }, { v: 9092, t: 9 }]);
    });

    it('makes points readable as soon as write() resolves', async () => {
      for (let i = 0; i < 5; i++) {
        await store.write([point({ at: BASE + i * 1000, metrics: { n: i } })]);
        expect(await store.query(q({ metric: 'n' }))).toHaveLength(i + 1);
      }
    });

    it('stores points written just before close()', async () => {
      const pending = store.write(series());
      await store.close();
      await expect(pending).resolves.toEqual({ accepted: 18, rejected: 0 });
      store = await harness.open();
      expect(await store.query(q())).toHaveLength(18);
    });

    it('answers an unknown device with nothing', async () => {
      expect(await store.latest({ agentId: 'agent-1', deviceId: 'nope' })).toEqual([]);
      expect(await store.query(q({ deviceId: 'nope' }))).toEqual([]);
      expect(await store.query(q({ deviceId: 'nope', every: 2 * MIN }))).toEqual([{ t: BASE, v: null }, { t: BASE + 2 * MIN, v: null }]);
    });

    it('refuses an empty range or a zero window with telemetry-query', async () => {
      await expect(store.query(q({ to: BASE }))).rejects.toMatchObject({ code: 'telemetry-query', reason: 'range' });
      await expect(store.query(q({ every: 0 }))).rejects.toBeInstanceOf(TelemetryError);
      await expect(store.query(q({ every: 1, to: BASE + 10 * 86_400_000 }))).rejects.toMatchObject({ reason: 'too-many-windows' });
    });

    it('reports itself healthy', async () => {
      expect(await store.health()).toMatchObject({ ok: true });
    });
  });
}
