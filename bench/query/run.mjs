#!/usr/bin/env node
// History query latency: one device's 24 h at 1-minute resolution (1,440 windows over
// 8,640 raw readings every 10 s), through each telemetry store, and through the HTTP API
// of a running hub. Target: < 100 ms.
//   node --import tsx bench/query/run.mjs [--runs 50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ROOT, build, percentile, table, writeResults } from '../lib/results.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const runs = Number(values.runs);
build();
const { loadHubConfig, startHub, createAdmin } = await import(`${ROOT}hub/dist/index.js`);
const { startInfluxd } = await import(`${ROOT}test/support/influxd.ts`);

const DAY = 86_400_000;
const to = Math.floor(Date.now() / 60_000) * 60_000;
const from = to - DAY;

async function measure(label, influx) {
  const dir = mkdtempSync(join(tmpdir(), 'ledwatch-bench-query-'));
  const overrides = { http: { host: '127.0.0.1', port: 0 }, mqtt: { host: '127.0.0.1', port: 0 }, data: { dir } };
  if (influx) overrides.influx = { url: influx.url, database: 'bench_query' };
  const hub = await startHub(loadHubConfig({ env: { LEDWATCH_LOG_LEVEL: 'warn' }, overrides }));
  const { token } = await createAdmin(hub.ctx.state, { email: 'bench@example.test' });
  const db = hub.ctx.state.sqlite;
  db.prepare("insert into customers (id, name, language, created_at, updated_at) values ('c', 'C', 'en', 0, 0)").run();
  db.prepare("insert into sites (id, customer_id, name, timezone, created_at, updated_at) values ('s', 'c', 'S', 'UTC', 0, 0)").run();
  db.prepare("insert into agents (id, name, site_id, secret_hash, created_at) values ('a', 'A', 's', 'x', 0)").run();
  const pk = db.prepare("insert into devices (agent_id, device_id, kind, capabilities, first_seen, updated_at) values ('a', 'ctrl-1/p0/c3', 'card', '[]', 0, 0) returning id").get().id;
  const points = [];
  for (let at = from; at < to; at += 10_000) {
    points.push({ customerId: 'c', siteId: 's', agentId: 'a', deviceId: 'ctrl-1/p0/c3', component: '', at, metrics: { temperatureC: 30 + Math.sin(at / 3_600_000) * 5, voltageV: 5, fanRpm: 3000 } });
  }
  await hub.ctx.telemetry.write(points);
  const q = { agentId: 'a', deviceId: 'ctrl-1/p0/c3', metric: 'temperatureC', component: '', from, to, every: 60_000, fn: 'mean' };
  const store = [];
  const http = [];
  let windows = 0;
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    windows = (await hub.ctx.telemetry.query(q)).length;
    store.push(performance.now() - t);
    t = performance.now();
    const res = await fetch(`${hub.url}/api/devices/${pk}/telemetry?metric=temperatureC&from=${from}&to=${to}&every=1m&fn=mean`, { headers: { authorization: `Bearer ${token}` } });
    await res.json();
    http.push(performance.now() - t);
  }
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
  store.sort((a, b) => a - b);
  http.sort((a, b) => a - b);
  const f = (ms) => `${ms.toFixed(1)} ms`;
  return [label, String(points.length), String(windows), f(percentile(store, 50)), f(percentile(store, 99)), f(percentile(http, 50)), f(percentile(http, 99))];
}

const rows = [await measure('embedded SQLite', undefined)];
const influxd = await startInfluxd();
try {
  rows.push(await measure('InfluxDB 1.6', influxd));
} finally {
  await influxd.stop();
}
const text = table(['store', 'raw readings', 'windows', 'store p50', 'store p99', 'HTTP API p50', 'HTTP API p99'], rows);
writeResults('History query: one device, 24 h at 1-minute resolution (bench/query)', `${text}\n\nTarget: < 100 ms. ${runs} runs each.`);
