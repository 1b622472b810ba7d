/**
 * Every Grafana panel's InfluxQL, run against a real influxd filled with real readings: a
 * simulated site polled by the agent's drivers, written through the hub's InfluxDB store.
 * A panel whose query InfluxDB refuses, or that shows nothing although the data is there,
 * fails here instead of in front of an engineer.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfluxTelemetryStore } from '../../hub/src/telemetry/influx.js';
import { type InfluxHarness, influxHarness } from '../../hub/src/telemetry/test-utils/influx-harness.js';
import {
  GRAFANA_DIR,
  type GrafanaDashboard,
  type GrafanaPanel,
  type GrafanaVariable,
  type QueryContext,
  type VariableValue,
  durationMs,
  interpolate,
  loadDashboards,
  runInfluxQL,
  seriesValues,
  valueRows,
} from '../support/grafana.js';
import { type RunningInfluxd, startInfluxd } from '../support/influxd.js';
import { serviceAvailable } from '../support/services.js';
import { DASHBOARD_FAULTS, type SiteTelemetry, startSiteTelemetry } from '../support/site-telemetry.js';

const DATASOURCE_UID = 'ledwatch-influxdb';
const OWNERS = [
  { customerId: 'cust-a', siteId: 'site-a.north', agentId: 'agent-a' },
  { customerId: 'cust-b', siteId: 'site-b', agentId: 'agent-b' },
];
const dashboards = loadDashboards();

const numbers = (v: unknown[]) => v.filter((x): x is number => typeof x === 'number');
/** Panels that must show the faults the test injected (dashboard uid, panel title, check), with every variable at All. */
const SHOWS_FAULTS: [string, string, (values: unknown[]) => void][] = [
  // At the end only the network check's closed target (and so the check) is down, per agent.
  ['ledwatch-fleet', 'Not ok now', (v) => expect(v).toEqual([4])],
  ['ledwatch-fleet', 'Cards missing now', (v) => expect(v).toEqual([0])],
  ['ledwatch-fleet', 'Fault readings by site', (v) => expect(Math.max(...numbers(v))).toBeGreaterThan(0)],
  ['ledwatch-fleet', 'Warning readings by site', (v) => expect(Math.max(...numbers(v))).toBeGreaterThan(0)],
  ['ledwatch-fleet', 'Cards missing by site', (v) => expect(Math.max(...numbers(v))).toBe(1)],
  // One card missing in one poll, at each of the two sites.
  ['ledwatch-fleet', 'Card-missing readings per site', (v) => expect(v).toEqual([1, 1])],
  ['ledwatch-device', 'Receiving card temperature', (v) => expect(Math.max(...numbers(v))).toBeGreaterThanOrEqual(70)],
  ['ledwatch-device', 'Cards missing', (v) => expect(Math.max(...numbers(v))).toBe(1)],
  // Per agent: one fan stopped, one door open, two ribbon lines in error.
  ['ledwatch-device', 'Fans stopped, doors open, ribbon errors', (v) => expect(Math.max(...numbers(v))).toBe(2)],
  ['ledwatch-device', 'UPS time on battery', (v) => expect(Math.max(...numbers(v))).toBeGreaterThan(0)],
  ['ledwatch-agents', 'Network targets down', (v) => expect(Math.max(...numbers(v))).toBe(1)],
];

describe('Grafana dashboards as files', () => {
  it('are what dashboards/grafana/generate.mjs writes (run it after editing the definitions)', () => {
    const r = spawnSync(process.execPath, [join(GRAFANA_DIR, 'generate.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('use the provisioned InfluxDB data source and raw InfluxQL in every panel and variable', () => {
    const provisioned = parseYaml(readFileSync(join(GRAFANA_DIR, 'provisioning/datasources/influxdb.yaml'), 'utf8')) as { datasources: { uid: string; type: string }[] };
    expect(provisioned.datasources).toEqual([expect.objectContaining({ uid: DATASOURCE_UID, type: 'influxdb' })]);
    expect(dashboards.map((d) => d.file)).toEqual(['agents.json', 'device.json', 'fleet-health.json']);
    for (const { dashboard } of dashboards) {
      for (const panel of dashboard.panels) {
        if (panel.type === 'text') continue;
        expect(panel.datasource?.uid, panel.title).toBe(DATASOURCE_UID);
        expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
        for (const t of panel.targets ?? []) expect([t.rawQuery, t.datasource?.uid, typeof t.query], `${panel.title} ${t.refId}`).toEqual([true, DATASOURCE_UID, 'string']);
      }
      for (const v of dashboard.templating.list) expect([v.type, v.datasource?.uid], v.name).toEqual(['query', DATASOURCE_UID]);
    }
  });

  it('have unique uids and panel ids', () => {
    expect(new Set(dashboards.map((d) => d.dashboard.uid)).size).toBe(dashboards.length);
    for (const { dashboard } of dashboards) expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
  });
});

describe('the query runner of this test', () => {
  const ctx: QueryContext = { from: 0, to: 1, interval: '10s', intervalMs: 10_000, values: { site: ['a/b.c'] }, variables: [{ name: 'site', type: 'query', query: '' }] };

  it('substitutes the time filter, the interval and variables the way Grafana does', () => {
    expect(interpolate('WHERE "site" =~ /^${site:regex}$/ AND $timeFilter GROUP BY time($__interval)', ctx)).toBe(
      'WHERE "site" =~ /^a\\/b\\.c$/ AND time >= 0ms and time <= 1ms GROUP BY time(10s)',
    );
  });

  it('fails on a variable the dashboard does not define', () => {
    expect(() => interpolate('WHERE "agent" =~ /^$agent$/', ctx)).toThrow(/\$agent, which is no variable/);
  });
});

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('every Grafana panel query against a real influxd', () => {
  let influxd: RunningInfluxd;
  let h: InfluxHarness;
  let store: InfluxTelemetryStore;
  let site: SiteTelemetry | undefined;
  let from = 0;
  let to = 0;

  beforeAll(async () => {
    influxd = await startInfluxd();
    h = await influxHarness(influxd.url);
    store = await h.open();
    from = Date.now() - 60_000;
    site = await startSiteTelemetry(store, OWNERS);
    // Healthy, then every fault the dashboards count, then healthy again.
    await site.pollOnce();
    for (const f of DASHBOARD_FAULTS) site.inject(f);
    await new Promise((r) => setTimeout(r, 1100));
    await site.pollOnce();
    for (const f of DASHBOARD_FAULTS) site.clear(f);
    await new Promise((r) => setTimeout(r, 1100));
    await site.pollOnce();
    await store.close(); // flushed: everything is in InfluxDB
    to = Date.now() + 60_000;
  });

  afterAll(async () => {
    await site?.close();
    await h?.cleanup();
    await influxd?.stop();
  });

  const run = (q: string) => runInfluxQL(influxd.url, h.database, q);
  const context = (dashboard: GrafanaDashboard, values: Record<string, VariableValue>, panel?: GrafanaPanel): QueryContext => ({
    from: panel?.timeFrom === undefined ? from : to - durationMs(panel.timeFrom),
    to,
    interval: '10s',
    intervalMs: 10_000,
    values,
    variables: dashboard.templating.list,
  });

  /** A variable's options as Grafana lists them: its query, then its regex filter. */
  async function options(dashboard: GrafanaDashboard, v: GrafanaVariable, values: Record<string, VariableValue>): Promise<string[]> {
    const series = await run(interpolate(v.query, context(dashboard, values)));
    const all = series.flatMap((s) => s.values.map((row) => String(row[1])));
    const filter = /^\/(.*)\/$/.exec((v as { regex?: string }).regex ?? '')?.[1];
    return filter ? all.filter((x) => new RegExp(filter).test(x)) : all;
  }

  /** Picks the first customer, site and agent and every device offered, as a user would. */
  async function picked(dashboard: GrafanaDashboard): Promise<Record<string, VariableValue>> {
    const values: Record<string, VariableValue> = {};
    for (const v of dashboard.templating.list) {
      const offered = await options(dashboard, v, values);
      values[v.name] = v.name === 'device' ? offered : offered.slice(0, 1);
    }
    return values;
  }

  const allValues = (d: GrafanaDashboard): Record<string, VariableValue> => Object.fromEntries(d.templating.list.map((v) => [v.name, 'All' as const]));

  it('fails a panel whose query InfluxDB refuses', async () => {
    await expect(run('SELECT mean("temperatureC" FROM "reading"')).rejects.toThrow(/InfluxDB refused the query/);
    await expect(run('SELECT mean("_state") FROM "reading" GROUP BY time(10s)')).rejects.toThrow(/InfluxDB refused the query/);
  });

  describe.each(dashboards)('$dashboard.title', ({ dashboard }) => {
    it('offers variable values chained the way Grafana does (customer → site → agent → device)', async () => {
      const values = await picked(dashboard);
      for (const v of dashboard.templating.list) expect((values[v.name] as string[]).length, v.name).toBeGreaterThan(0);
      if (values.customer) expect(values.customer).toEqual(['cust-a']);
      if (values.site) expect(values.site).toEqual(['site-a.north']);
      if (values.device) expect([...values.device].sort()).toEqual(['ctrl-1', 'host', 'net', 'psu-1', 'ups-1']);
      for (const v of dashboard.templating.list) expect(await options(dashboard, v, allValues(dashboard)), v.name).not.toEqual([]);
    });

    it.each(dashboard.panels.filter((p) => p.type !== 'text'))('panel "$title" runs and shows the data, for All and for one agent', async (panel) => {
      for (const values of [allValues(dashboard), await picked(dashboard)]) {
        for (const t of panel.targets ?? []) {
          const q = interpolate(t.query ?? '', context(dashboard, values, panel));
          expect(valueRows(await run(q)), `${t.refId} with ${JSON.stringify(values)}: ${q}`).toBeGreaterThan(0);
        }
      }
    });

    it.each(SHOWS_FAULTS.filter(([uid]) => uid === dashboard.uid))('panel "%s › %s" shows the injected faults', async (_uid, title, check) => {
      const panel = dashboard.panels.find((p) => p.title === title);
      expect(panel, title).toBeDefined();
      const values: unknown[] = [];
      for (const t of panel?.targets ?? []) values.push(...seriesValues(await run(interpolate(t.query ?? '', context(dashboard, allValues(dashboard), panel)))));
      check(values);
    });

    // Only dashboards with a device variable (a test defined for the others would only be skipped).
    if (dashboard.templating.list.some((v) => v.name === 'device')) {
      it('runs every panel for each single device, and each panel shows one of them', async () => {
        const base = await picked(dashboard);
        for (const panel of dashboard.panels.filter((p) => p.type !== 'text')) {
          let rows = 0;
          for (const device of base.device as string[]) {
            for (const t of panel.targets ?? []) rows += valueRows(await run(interpolate(t.query ?? '', context(dashboard, { ...base, device: [device] }, panel))));
          }
          expect(rows, panel.title).toBeGreaterThan(0);
        }
      });
    }
  });
});
