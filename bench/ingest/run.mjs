#!/usr/bin/env node
// Ingest benchmark: contract telemetry from N MQTT agents (a separate load process) to
// readings stored in a real InfluxDB, through three pipelines fed the same payloads:
//   hub       — the ledwatch hub (built dist, own process): embedded aedes, validation,
//               state DB, InfluxDB store, acks
//   baseline  — Mosquitto + baseline-subscriber.mjs (the floor of this design)
//   node-red  — Mosquitto + Node-RED 4 (mqtt in → function → node-red-contrib-influxdb out)
// Each run gets a fresh influxd. Scenarios:
//   burst — C connections send B readings in total as fast as their window allows: stored
//           readings/s, lost, CPU µs per reading, measurement → stored p50/p99, RSS.
//   fleet — (hub) C connections, one R-reading batch each every I s, a warm-up interval then
//           D s measured: connected, hub CPU % of the machine, RSS, measurement → stored p99.
// Prints a table per scenario and writes them to bench/RESULTS.md. See README.md here.
//   node bench/ingest/run.mjs [--quick] [--scenarios burst,fleet] [--pipelines hub,baseline,node-red]
//     [--fleet-pipelines hub] [--batch 40[,1]] [--burst-connections 200] [--burst-readings 200000]
//     [--window 20] [--repeat 1] [--fleet-connections 10000] [--fleet-batch 40] [--fleet-interval-s 10]
//     [--fleet-duration-s 60] [--fleet-warmup-s 10] [--fleet-drain-s 120] [--connect-rate 200] [--settle-s 15]
//     [--influx-data '<[data] lines; …>'] [--influx-env 'GOGC=400'] [--mosquitto-inflight 1000] [--cpu-prof] [--progress 5]
//     [--no-write] [--no-build] [--hub-log-level warn] [--hub-node-options='--max-semi-space-size=64']
// fleet-pipelines also: baseline.
import { fork, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { summarizeProfile } from '../lib/cpuprofile.mjs';
import { ROOT, build, cpuSeconds, percentile, rssMb, table, writeResults } from '../lib/results.mjs';
import { findCommand, freePort, influxPointsWritten, influxQuery, sleep, startInfluxd, startMosquitto, stopProcess, tempDir, waitFor } from '../lib/services.mjs';

const HERE = join(ROOT, 'bench/ingest');
const NR_DIR = join(HERE, 'node-red');
const { values: o } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenarios: { type: 'string', default: 'burst,fleet' },
    pipelines: { type: 'string', default: 'hub,baseline,node-red' },
    batch: { type: 'string', default: '40' },
    'burst-connections': { type: 'string' },
    'burst-readings': { type: 'string' },
    window: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '1' },
    'fleet-connections': { type: 'string' },
    'fleet-batch': { type: 'string', default: '40' },
    'fleet-interval-s': { type: 'string', default: '10' },
    'fleet-duration-s': { type: 'string' },
    'fleet-warmup-s': { type: 'string' },
    'fleet-warmup-max-s': { type: 'string', default: '180' },
    'fleet-drain-s': { type: 'string', default: '120' },
    // The influxd settings that carry a 10,000-agent fleet (hub/src/telemetry/README.md), for every pipeline alike.
    'influx-data': { type: 'string', default: 'index-version = "tsi1"; cache-max-memory-size = "4g"; cache-snapshot-memory-size = "1g"' },
    // Environment of influxd, e.g. 'GOGC=400' (Go's GC: less CPU for more memory), for every pipeline alike.
    'influx-env': { type: 'string', default: '' },
    'connect-rate': { type: 'string', default: '200' },
    'connect-deadline-s': { type: 'string', default: '300' },
    'settle-s': { type: 'string', default: '15' },
    'mosquitto-inflight': { type: 'string', default: '1000' },
    // Node options of the hub process: as the hub's Docker image sets them (README, Running in production).
    'hub-node-options': { type: 'string', default: '--max-semi-space-size=64' },
    'cpu-prof': { type: 'boolean', default: false },
    'alloc-prof': { type: 'boolean', default: false }, // with --cpu-prof: a sampling allocation profile instead (kept with --profile-out)
    'profile-connect': { type: 'boolean', default: false }, // with --cpu-prof: profile the connect phase too
    'profile-out': { type: 'string' }, // with --cpu-prof: copy the .cpuprofile files here (for DevTools)
    'hub-log-level': { type: 'string', default: 'warn' },
    'hub-gzip': { type: 'string' },
    'hub-ingest': { type: 'string' }, // JSON merged into the hub's `ingest` config
    'hub-influx': { type: 'string' }, // JSON merged into the hub's `influx` config
    'fleet-pipelines': { type: 'string', default: 'hub' },
    'no-write': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    progress: { type: 'string', default: '0' },
    section: { type: 'string', default: 'Ingest (bench/ingest)' },
  },
});
const quick = o.quick;
const num = (v, full, small) => Number(v ?? (quick ? small : full));
const P = {
  scenarios: o.scenarios.split(','),
  pipelines: o.pipelines.split(','),
  batches: o.batch.split(',').map(Number),
  burstConns: num(o['burst-connections'], 200, 50),
  burstReadings: num(o['burst-readings'], 200_000, 20_000),
  window: Number(o.window),
  repeat: Number(o.repeat),
  fleetConns: num(o['fleet-connections'], 10_000, 500),
  fleetBatch: Number(o['fleet-batch']),
  fleetIntervalS: Number(o['fleet-interval-s']),
  fleetDurationS: num(o['fleet-duration-s'], 60, 20),
  fleetWarmupS: Number(o['fleet-warmup-s'] ?? o['fleet-interval-s']),
  fleetWarmupMaxS: Number(o['fleet-warmup-max-s']),
  fleetDrainS: Number(o['fleet-drain-s']),
  influxData: o['influx-data'].split(';').map((l) => l.trim()).filter(Boolean),
  influxEnv: Object.fromEntries(o['influx-env'].split(/[;\s]+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  connectRate: Number(o['connect-rate']),
  connectDeadlineS: Number(o['connect-deadline-s']),
  settleS: Number(o['settle-s']),
  mosquittoInflight: Number(o['mosquitto-inflight']),
};
const NCPU = cpus().length;
const log = (s) => process.stdout.write(`${s}\n`);
const work = tempDir('ingest');
process.on('exit', () => work.cleanup());

// ------------------------------------------------------------------ preflight
const fdLimit = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
const needFds = Math.max(P.burstConns, P.scenarios.includes('fleet') ? P.fleetConns : 0) + 500;
if (Number.isFinite(fdLimit) && fdLimit < needFds) {
  log(`!!! ulimit -n is ${fdLimit}: the hub and the load each need ~${needFds} descriptors for this run. Raise it (ulimit -n ${needFds * 2}) or lower --fleet-connections.`);
  process.exit(2);
}
if (P.pipelines.includes('node-red') && P.scenarios.includes('burst') && !existsSync(join(NR_DIR, 'node_modules/node-red/red.js'))) {
  log('installing Node-RED into bench/ingest/node-red (not a workspace) …');
  const r = spawnSync('npm', ['install', '--prefix', NR_DIR, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install of Node-RED failed');
}
if (!o['no-build']) {
  try {
    build();
  } catch (err) {
    if (!existsSync(join(ROOT, 'hub/dist/index.js'))) throw err;
    log(`!!! ${err.message}: measuring the hub as last built (hub/dist). Rerun after fixing the build, or pass --no-build to skip it.`);
  }
}

// ------------------------------------------------------------------ pipelines
/** The ledwatch hub in its own process, N agents provisioned through the API. */
async function startHubPipeline(influx, n, opts = {}) {
  const dir = join(work.dir, `hub-${Date.now()}`);
  mkdirSync(dir);
  const profDir = join(work.dir, 'prof');
  mkdirSync(profDir, { recursive: true });
  const child = spawn(process.execPath, [...(o['hub-node-options'] ? o['hub-node-options'].split(' ') : []), join(HERE, 'hub-process.mjs'), ...(P.cpuProf ? ['--profile-dir', profDir] : []), '--influx-url', influx.url, '--data-dir', dir, '--log-level', o['hub-log-level'], ...(o['alloc-prof'] ? ['--alloc-prof'] : []), ...(o['hub-gzip'] !== undefined ? ['--influx-gzip', o['hub-gzip']] : []), ...(o['hub-ingest'] !== undefined ? ['--ingest-json', o['hub-ingest']] : []), ...(o['hub-influx'] !== undefined ? ['--influx-json', o['hub-influx']] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let exit;
  child.once('exit', (code, signal) => (exit = signal ?? `exit code ${code}`));
  const profiles = [];
  const info = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (l) => {
      if (l.startsWith('BENCH-HUB ')) resolve(JSON.parse(l.slice(10)));
      else if (l.startsWith('BENCH-PROFILE ')) profiles.push(l.slice(14));
      else process.stderr.write(`  [hub] ${l.slice(0, 400)}\n`);
    });
    child.once('exit', (code) => reject(new Error(`hub process exited with ${code}`)));
  });
  const api = async (method, path, body) => {
    const res = await fetch(`${info.url}${path}`, { method, headers: { authorization: `Bearer ${info.token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
  };
  const customer = await api('POST', '/api/customers', { name: 'Bench' });
  const site = await api('POST', '/api/sites', { customerId: customer.id, name: 'Bench site' });
  const t0 = Date.now();
  const agents = new Array(n + 1);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next <= n) {
        const i = next++;
        const a = await api('POST', '/api/agents', { name: `bench-${i}`, siteId: site.id });
        agents[i] = { id: a.agentId, secret: a.secret };
      }
    }),
  );
  log(`  hub: ${n + 1} agents provisioned through POST /api/agents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return {
    name: opts.name ?? 'hub',
    mqttUrl: info.mqttUrl,
    agents: agents.slice(0, n),
    warmup: agents[n],
    database: 'ledwatch',
    groups: { server: [child.pid] },
    hub: { api, pid: child.pid },
    /** Why the hub process ended, when it did before stop(). */
    died: () => exit,
    /** --cpu-prof: starts, then stops, a CPU profile of the hub (the window measured). */
    profile() {
      if (P.cpuProf && exit === undefined) child.kill('SIGUSR2');
    },
    async stop() {
      if (P.cpuProf && exit === undefined) {
        const had = profiles.length;
        await waitFor('the hub profile', () => profiles.length > had, 20_000).catch(() => undefined);
      }
      await stopProcess(child, 15_000);
      return profiles;
    },
  };
}

const MOSQUITTO_CONF = (inflight) =>
  // Defaults (max_inflight_messages 20, max_queued_messages 1000) silently drop QoS 1 messages
  // to a subscriber that falls behind: no queue bound here, so any loss is the pipeline's own.
  `max_queued_messages 0\nmax_inflight_messages ${inflight}\nset_tcp_nodelay true\n`;

const plainAgents = (n) => Array.from({ length: n }, (_, i) => ({ id: `agent-${String(i).padStart(5, '0')}` }));

async function startBaselinePipeline(influx, n) {
  const database = 'baseline';
  await influxQuery(influx.url, `CREATE DATABASE ${database}`, { post: true });
  const mosq = await startMosquitto(MOSQUITTO_CONF(P.mosquittoInflight));
  const sub = spawn(process.execPath, [join(HERE, 'baseline-subscriber.mjs'), mosq.url, database], { env: { ...process.env, INFLUX_PORT: String(influx.port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  sub.stdout.on('data', (d) => (out += d));
  await waitFor('baseline subscriber', () => out.includes('subscribed'));
  return {
    name: 'baseline',
    mqttUrl: mosq.url,
    agents: plainAgents(n),
    warmup: { id: 'warmup' },
    database,
    groups: { server: [mosq.process.pid, sub.pid], broker: [mosq.process.pid] },
    async stop() {
      await stopProcess(sub);
      await mosq.stop();
      return [];
    },
  };
}

async function startNodeRedPipeline(influx, n) {
  const database = 'nodered';
  await influxQuery(influx.url, `CREATE DATABASE ${database}`, { post: true });
  const mosq = await startMosquitto(MOSQUITTO_CONF(P.mosquittoInflight));
  const userDir = join(work.dir, `node-red-${Date.now()}`);
  mkdirSync(userDir);
  const flow = readFileSync(join(NR_DIR, 'flow.template.json'), 'utf8').replaceAll('@MQTT_PORT@', String(mosq.port)).replaceAll('@INFLUX_PORT@', String(influx.port)).replaceAll('@DATABASE@', database);
  writeFileSync(join(userDir, 'flows.json'), flow);
  copyFileSync(join(NR_DIR, 'settings.cjs'), join(userDir, 'settings.cjs'));
  const port = await freePort();
  const nr = spawn(process.execPath, [join(NR_DIR, 'node_modules/node-red/red.js'), '--settings', join(userDir, 'settings.cjs'), '--userDir', userDir], {
    cwd: NR_DIR,
    env: { ...process.env, NR_PORT: String(port), NR_FLOW_FILE: join(userDir, 'flows.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  nr.stdout.on('data', (d) => (out += d));
  nr.stderr.on('data', (d) => (out += d));
  await waitFor('Node-RED', async () => {
    if (nr.exitCode !== null) throw new Error(`node-red exited: ${out}`);
    return (await fetch(`http://127.0.0.1:${port}/flows`).catch(() => undefined))?.status === 200;
  }, 60_000, 250);
  return {
    name: 'node-red',
    mqttUrl: mosq.url,
    agents: plainAgents(n),
    warmup: { id: 'warmup' },
    database,
    groups: { server: [mosq.process.pid, nr.pid], broker: [mosq.process.pid] },
    output: () => out,
    async stop() {
      await stopProcess(nr);
      await mosq.stop();
      return [];
    },
  };
}

let influxVersion = 'InfluxDB ?';
const nodeRedVersion = () => {
  try {
    return JSON.parse(readFileSync(join(NR_DIR, 'node_modules/node-red/package.json'), 'utf8')).version;
  } catch {
    return '–';
  }
};

const STARTERS = {
  hub: (influx, n) => startHubPipeline(influx, n),
  baseline: startBaselinePipeline,
  'node-red': startNodeRedPipeline,
};
const LABEL = {
  hub: 'ledwatch hub (aedes + validation + state + InfluxDB store)',
  baseline: 'Mosquitto + baseline subscriber',
  'node-red': 'Mosquitto + Node-RED 4',
};

// ------------------------------------------------------------------ measuring
/** CPU seconds and RSS (sum over each group's processes), sampled every 250 ms. */
function watch(groups) {
  const safe = (f, pid) => {
    try {
      return f(pid);
    } catch {
      return 0;
    }
  };
  const cpu = () => Object.fromEntries(Object.entries(groups).map(([g, pids]) => [g, pids.reduce((s, p) => s + safe(cpuSeconds, p), 0)]));
  const rss = () => Object.fromEntries(Object.entries(groups).map(([g, pids]) => [g, pids.reduce((s, p) => s + safe(rssMb, p), 0)]));
  const first = rss();
  const peak = { ...first };
  const sample = () => {
    for (const [g, v] of Object.entries(rss())) peak[g] = Math.max(peak[g], v);
  };
  const timer = setInterval(sample, 250);
  let c0 = cpu();
  let t0 = Date.now();
  return {
    /** Restarts the CPU clock (RSS peaks keep counting). */
    mark() {
      c0 = cpu();
      t0 = Date.now();
    },
    stop() {
      clearInterval(timer);
      sample();
      const c1 = cpu();
      return { elapsedS: (Date.now() - t0) / 1000, cpuS: Object.fromEntries(Object.keys(groups).map((g) => [g, c1[g] - c0[g]])), rssFirst: first, rssPeak: peak, rssLast: rss() };
    },
  };
}

/** Every `everyS` seconds: points accepted by influxd and CPU % (of one core) per process group. */
function progress(influx, groups, everyS = 5) {
  const t0 = Date.now();
  let last = { t: t0, n: undefined, cpu: {} };
  const cpuOf = (pids) => pids.reduce((s, p) => {
    try {
      return s + cpuSeconds(p);
    } catch {
      return s;
    }
  }, 0);
  const tick = async () => {
    const n = await influxPointsWritten(influx.url).catch(() => undefined);
    const t = Date.now();
    const cpu = Object.fromEntries(Object.entries(groups).map(([g, pids]) => [g, cpuOf(pids)]));
    if (last.n !== undefined) {
      const dt = (t - last.t) / 1000;
      const parts = Object.entries(cpu).map(([g, c]) => `${g} ${(((c - (last.cpu[g] ?? c)) / dt) * 100).toFixed(0)}%`);
      log(`    t=${((t - t0) / 1000).toFixed(0)}s stored +${fmt((n - last.n) / dt)}/s; CPU (of one core) ${parts.join(', ')}`);
    }
    last = { t, n, cpu };
  };
  void tick();
  const timer = setInterval(tick, everyS * 1000);
  return { stop: () => clearInterval(timer) };
}

/** influxd's accepted-points counter, polled every 50 ms: when points arrived. */
function writtenPoller(url) {
  const samples = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const t = Date.now();
      const n = await influxPointsWritten(url).catch(() => undefined);
      if (n !== undefined) samples.push([t, n]);
      await sleep(Math.max(0, 50 - (Date.now() - t)));
    }
  })();
  return {
    samples,
    last: () => samples.at(-1)?.[1] ?? 0,
    async stop() {
      on = false;
      await loop;
    },
    /** Midpoint between the last sample below `n` and the first at or above it. */
    timeReached(n) {
      const i = samples.findIndex(([, v]) => v >= n);
      if (i < 0) return undefined;
      return i === 0 ? samples[0][0] : (samples[i - 1][0] + samples[i][0]) / 2;
    },
  };
}

/**
 * Measurement → stored, sampled: every 100 ms, the card-000 reading of every batch of the
 * sampled agents that InfluxDB answers for the first time; its delay is the midpoint of
 * (previous poll sent, this poll answered) minus its `at`. Resolution ±~60 ms.
 */
function latencyPoller(url, database, agentIds, { windowMs, since = 0 }) {
  const seen = new Set();
  const lat = [];
  const queryMs = [];
  let on = true;
  // Exact tag matches (a regex over 400k series costs influxd ~100 ms a poll).
  const agents = agentIds.map((id) => `agent = '${id}'`).join(' OR ');
  // Each agent's batches arrive in order: ask only for what is newer than 5 s before the
  // newest one seen of the slowest sampled agent, so a poll stays small.
  const newest = new Map(agentIds.map((id) => [id, since]));
  let prevSent = Date.now();
  const loop = (async () => {
    while (on) {
      const sent = Date.now();
      const from = Math.max(sent - windowMs, Math.min(...newest.values()) - 5000);
      const q = `SELECT voltage FROM reading WHERE device = 'card-000' AND (${agents}) AND time >= ${from}ms GROUP BY agent`;
      try {
        const [res] = await influxQuery(url, q, { db: database });
        const answered = Date.now();
        queryMs.push(answered - sent);
        const when = (prevSent + answered) / 2;
        for (const s of res?.series ?? []) {
          for (const [at] of s.values) {
            const key = `${s.tags.agent}@${at}`;
            if (seen.has(key) || at < since) continue;
            seen.add(key);
            if (at > (newest.get(s.tags.agent) ?? 0)) newest.set(s.tags.agent, at);
            lat.push(Math.max(0, when - at));
          }
        }
      } catch {
        // database not there yet
      }
      prevSent = sent;
      await sleep(Math.max(0, 100 - (Date.now() - sent)));
    }
  })();
  return {
    async stop() {
      on = false;
      await loop;
      const s = lat.sort((a, b) => a - b);
      const qs = queryMs.sort((a, b) => a - b);
      return { n: s.length, p50: percentile(s, 50), p99: percentile(s, 99), max: s.at(-1), polls: qs.length, pollP99: percentile(qs, 99) };
    },
  };
}

/** Up to `max` agent ids spread evenly over the list: whose card-000 readings are polled. */
const sample = (agents, max) => agents.filter((_, i) => i % Math.max(1, Math.ceil(agents.length / max)) === 0).map((a) => a.id);

/** The load process, forked; messages from it are awaited by type. */
function startLoad(cfg) {
  const file = join(work.dir, `load-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(cfg));
  const child = fork(join(HERE, 'load.mjs'), [file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const got = new Map();
  const waiting = new Map();
  const seen = new Map();
  child.on('message', (m) => {
    seen.set(m.type, m);
    const w = waiting.get(m.type);
    if (w) {
      waiting.delete(m.type);
      w(m);
    } else got.set(m.type, m);
  });
  return {
    pid: child.pid,
    /** The next message of this type (one that came unawaited is taken first). */
    next(type, timeoutMs = 600_000) {
      if (got.has(type)) {
        const m = got.get(type);
        got.delete(type);
        return Promise.resolve(m);
      }
      return new Promise((resolve, reject) => {
        const onExit = (code) => reject(new Error(`load exited with ${code} before '${type}'`));
        const t = setTimeout(() => {
          child.off('exit', onExit);
          reject(new Error(`load: no '${type}' within ${timeoutMs} ms`));
        }, timeoutMs);
        child.once('exit', onExit);
        waiting.set(type, (m) => {
          clearTimeout(t);
          child.off('exit', onExit);
          resolve(m);
        });
      });
    },
    /** The last message of this type seen, if any. */
    has: (type) => seen.get(type),
    /** The load's counts now. */
    report() {
      child.send({ type: 'report' });
      return this.next('report', 10_000);
    },
    send: (m) => child.send(m),
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: 'stop' });
      await new Promise((r) => {
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    },
  };
}

/** Telemetry from a spare agent until InfluxDB has some: the pipeline is live (subscribed). */
async function warmUp(pipe, influx) {
  const c = mqtt.connect(pipe.mqttUrl, { clientId: pipe.warmup.id, ...(pipe.warmup.secret ? { username: pipe.warmup.id, password: pipe.warmup.secret } : {}), reconnectPeriod: 0 });
  await new Promise((resolve, reject) => {
    c.once('connect', resolve);
    c.once('error', reject);
  });
  let seq = 0;
  // A metric of its own (not voltage), so the warm-up never counts as a stored reading.
  const tick = () => c.publish(`ledwatch/v1/${pipe.warmup.id}/telemetry`, JSON.stringify({ seq: ++seq, readings: [{ device: 'warmup', at: Date.now() - 60_000, metrics: { warmup: seq } }] }), { qos: 1 });
  tick();
  const timer = setInterval(tick, 500);
  try {
    await waitFor(`${pipe.name} to store a first reading`, async () => (await influxPointsWritten(influx.url)) >= 1, 60_000, 100);
  } catch (err) {
    if (pipe.output) log(pipe.output());
    throw err;
  } finally {
    clearInterval(timer);
  }
  await sleep(600);
  await c.endAsync();
}

async function countStored(influx, database) {
  const [res] = await influxQuery(influx.url, 'SELECT count(voltage) FROM reading', { db: database });
  return Number(res?.series?.[0]?.values?.[0]?.[1] ?? 0);
}

async function hubMetrics(pipe) {
  const text = await pipe.hub.api('GET', '/metrics').catch(() => '');
  const sum = (name) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
  return { connected: sum('ledwatch_mqtt_clients_connected'), rejected: sum('ledwatch_mqtt_messages_rejected_total'), readings: sum('ledwatch_readings_accepted_total') };
}

const fmt = (v, d = 0) => (v === undefined || v === null || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const ms = (v) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);

// ------------------------------------------------------------------ burst
async function newInfluxd() {
  const influx = await startInfluxd({ data: P.influxData, env: P.influxEnv });
  const res = await fetch(`${influx.url}/ping`);
  influxVersion = `InfluxDB ${res.headers.get('x-influxdb-version') ?? '?'}${P.influxData.length ? ` ([data] ${P.influxData.join('; ')})` : ''}${Object.keys(P.influxEnv).length ? ` (env ${Object.entries(P.influxEnv).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`;
  return influx;
}

async function burst(pipeline, batch) {
  const influx = await newInfluxd();
  const batchesPerConn = Math.max(1, Math.round(P.burstReadings / P.burstConns / batch));
  log(`\n▶ burst — ${pipeline}: ${P.burstConns} connections × ${batchesPerConn} batches × ${batch} readings`);
  const pipe = await STARTERS[pipeline](influx, P.burstConns);
  const profiles = [];
  let load;
  try {
    await warmUp(pipe, influx);
    load = startLoad({ url: pipe.mqttUrl, agents: pipe.agents, mode: 'burst', batch, batches: batchesPerConn, window: P.window, hub: pipeline.startsWith('hub'), connectRate: 5000 });
    if (o['profile-connect']) pipe.profile?.();
    const conn = await load.next('connected');
    if (o['profile-connect']) pipe.profile?.();
    log(`  connected ${conn.connected} of ${P.burstConns}${conn.attempts > conn.connected ? ` (${conn.attempts} attempts; failed attempts: ${JSON.stringify(conn.errors)})` : ''}`);
    const w0 = await influxPointsWritten(influx.url);
    const expected = conn.connected * batchesPerConn * batch;
    const sampled = sample(pipe.agents, 20);
    const groups = { ...pipe.groups, influxd: [influx.pid()], load: [load.pid] };
    const w = watch(groups);
    const written = writtenPoller(influx.url);
    const lat = latencyPoller(influx.url, pipe.database, sampled, { windowMs: 600_000, since: Date.now() - 1000 });
    const prog = Number(o.progress) > 0 ? progress(influx, groups, Number(o.progress)) : undefined;
    pipe.profile?.();
    load.send({ type: 'go' });
    // Until every reading is in, or nothing more arrived for settle-s after the load finished.
    let lastN = -1;
    let lastChange = Date.now();
    let settled = false;
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      await sleep(100);
      const n = written.last() - w0;
      if (n !== lastN) {
        lastN = n;
        lastChange = Date.now();
      }
      if (n >= expected) break;
      if (Date.now() - lastChange > P.settleS * 1000) {
        settled = true;
        break;
      }
      if (Date.now() > deadline) break;
    }
    const m = w.stop();
    pipe.profile?.();
    prog?.stop();
    await written.stop();
    const latency = await lat.stop();
    if (!settled) await load.next('done', 5000).catch(() => undefined);
    const sent = await load.report();
    // Went quiet short of everything: with batches still unsent (windows full) or, at the
    // hub, unacked, the pipeline stopped; else (PUBACKed, never stored) readings were lost.
    const stalled = settled && lastN < expected && (!load.has('sent') || (pipe.hub !== undefined && sent.batches > sent.acked));
    const stored = await countStored(influx, pipe.database);
    const tLast = written.timeReached(w0 + lastN);
    const seconds = (tLast - sent.tFirst) / 1000;
    const hm = pipe.hub ? await hubMetrics(pipe) : undefined;
    const r = {
      pipeline,
      batch,
      connected: conn.connected,
      produced: sent.produced,
      stored,
      lost: sent.produced - stored,
      perS: stored / seconds,
      msgPerS: stored / batch / seconds,
      seconds,
      serverUs: (m.cpuS.server / stored) * 1e6,
      brokerUs: m.cpuS.broker !== undefined ? (m.cpuS.broker / stored) * 1e6 : undefined,
      influxUs: (m.cpuS.influxd / stored) * 1e6,
      loadUs: (m.cpuS.load / stored) * 1e6,
      latency,
      ack: pipe.hub ? sent.ack : undefined,
      unacked: pipe.hub ? sent.batches - sent.acked : undefined,
      rssFirst: m.rssFirst.server,
      rssPeak: m.rssPeak.server,
      influxRss: m.rssPeak.influxd,
      rejected: hm?.rejected,
      stalled,
      expected,
      died: pipe.died?.(),
    };
    if (r.died) log(`  !!! the hub process died during the run (${r.died})`);
    if (stored < sent.produced && pipe.output) {
      const lines = pipe.output().trim().split('\n');
      log(`  ${pipe.name} said (last of ${lines.length} lines):\n${lines.slice(-8).map((l) => `    ${l.slice(0, 300)}`).join('\n')}`);
    }
    if (stalled) log(`  !!! STALLED: nothing stored for ${P.settleS} s, ${fmt(sent.batches - sent.acked)} batches unacked, ${fmt(expected - sent.produced)} readings not yet sent (windows full)`);
    log(
      `  stored ${fmt(stored)} of ${fmt(sent.produced)} in ${seconds.toFixed(2)} s = ${fmt(r.perS)} readings/s; server ${fmt(r.serverUs, 1)} µs/reading, influxd ${fmt(r.influxUs, 1)}; ` +
        `latency p50 ${ms(latency.p50)} p99 ${ms(latency.p99)} (${latency.n} sampled batches, p99 poll ${ms(latency.pollP99)})${r.ack ? `; ack p50 ${ms(r.ack.p50)} p99 ${ms(r.ack.p99)}, unacked ${r.unacked}, rejected ${r.rejected}` : ''}; RSS ${fmt(r.rssFirst)} → ${fmt(r.rssPeak)} MB, influxd ${fmt(r.influxRss)} MB`,
    );
    return r;
  } finally {
    await load?.stop();
    profiles.push(...(await pipe.stop()));
    await influx.stop();
    if (profiles.length) reportProfiles(profiles, `burst ${pipeline} batch ${batch}`);
  }
}

// ------------------------------------------------------------------ fleet
async function fleet(pipeline) {
  const influx = await newInfluxd();
  const n = P.fleetConns;
  log(`\n▶ fleet — ${pipeline}: ${n} connections, one ${P.fleetBatch}-reading batch each every ${P.fleetIntervalS} s for ${P.fleetDurationS} s`);
  const pipe = await STARTERS[pipeline](influx, n);
  const profiles = [];
  let load;
  try {
    await warmUp(pipe, influx);
    const groups = { ...pipe.groups, influxd: [influx.pid()] };
    const w = watch(groups);
    let prog;
    load = startLoad({ url: pipe.mqttUrl, agents: pipe.agents, mode: 'fleet', batch: P.fleetBatch, intervalMs: P.fleetIntervalS * 1000, durationMs: P.fleetDurationS * 1000, warmupMaxMs: Math.max(P.fleetWarmupS, P.fleetWarmupMaxS) * 1000, hub: pipe.hub !== undefined, connectRate: P.connectRate, connectDeadlineMs: P.connectDeadlineS * 1000 });
    if (Number(o.progress) > 0) prog = progress(influx, { ...groups, load: [load.pid] }, Number(o.progress));
    if (o['profile-connect']) pipe.profile?.();
    const conn = await load.next('connected');
    if (o['profile-connect']) pipe.profile?.();
    await sleep(3000); // births (status + inventory of every agent) settle
    const hm0 = pipe.hub ? await hubMetrics(pipe) : {};
    const rssConnected = pipe.groups.server.reduce((sum, pid) => sum + rssMb(pid), 0);
    log(`  connected ${conn.connected} of ${n} in ${(conn.ms / 1000).toFixed(1)} s${pipe.hub ? ` (hub counts ${hm0.connected})` : ''}; ${conn.attempts} attempts${conn.attempts > conn.connected ? `, failed attempts: ${JSON.stringify(conn.errors)}` : ''}; server RSS ${fmt(rssConnected)} MB`);
    const w0 = await influxPointsWritten(influx.url);
    const sampled = sample(pipe.agents, 100);
    load.send({ type: 'go' });
    // Warm-up: the first batches create every series in InfluxDB (~40 per agent), which takes
    // it far longer than writing to them; measured once the pipeline has caught up with that
    // (at most 2 s of readings not stored yet: the latency target) or after fleet-warmup-max-s.
    const tGo = Date.now();
    await sleep(P.fleetWarmupS * 1000);
    const perS = (n * P.fleetBatch) / P.fleetIntervalS;
    let backlog = Infinity;
    while (Date.now() - tGo < P.fleetWarmupMaxS * 1000) {
      backlog = (await load.report()).produced - ((await influxPointsWritten(influx.url)) - w0);
      if (backlog <= 2 * perS) break;
      await sleep(1000);
    }
    const warmup = { s: (Date.now() - tGo) / 1000, caughtUp: backlog <= 2 * perS, backlog };
    log(`  warm-up ${warmup.s.toFixed(0)} s: ${warmup.caughtUp ? 'caught up' : `NOT caught up after ${P.fleetWarmupMaxS} s`} (${fmt(Math.max(0, backlog))} readings sent and not stored yet)`);
    const tMeasure = Date.now();
    load.send({ type: 'mark' });
    const lat = latencyPoller(influx.url, pipe.database, sampled, { windowMs: 60_000, since: tMeasure });
    w.mark();
    pipe.profile?.();
    const loadCpu0 = cpuSeconds(load.pid);
    const wMark = await influxPointsWritten(influx.url);
    await load.next('sent', (P.fleetDurationS + 120) * 1000);
    const m = w.stop();
    const storedWhileMeasured = (await influxPointsWritten(influx.url)) - wMark;
    pipe.profile?.();
    const loadCpu = cpuSeconds(load.pid) - loadCpu0;
    const { produced } = await load.report();
    // The rest drains: until every reading is in, nothing more arrives for settle-s, or
    // fleet-drain-s have passed (a backlog InfluxDB takes minutes for is reported as such).
    let drainCut = false;
    for (let last = -1, since = Date.now(), start = Date.now(); ; await sleep(200)) {
      const n = (await influxPointsWritten(influx.url)) - w0;
      if (n >= produced) break;
      if (Date.now() - start > P.fleetDrainS * 1000) {
        drainCut = true;
        break;
      }
      if (n !== last) [last, since] = [n, Date.now()];
      else if (Date.now() - since > P.settleS * 1000) break;
    }
    if (pipe.hub) await load.next('done', 5000).catch(() => undefined); // the last acks
    const done = await load.report();
    const latency = await lat.stop();
    prog?.stop();
    const stored = await countStored(influx, pipe.database);
    const hm = pipe.hub ? await hubMetrics(pipe) : {};
    const r = {
      pipeline,
      died: pipe.died?.(),
      isHub: pipe.hub !== undefined,
      attempts: conn.attempts,
      connectErrors: conn.errors,
      connections: n,
      connected: conn.connected,
      hubConnected: hm0.connected,
      connectS: conn.ms / 1000,
      produced: done.produced,
      stored,
      lost: done.produced - stored,
      drainCut,
      perS: done.producedSinceMark / m.elapsedS,
      storedPerS: storedWhileMeasured / m.elapsedS,
      hubCpuPct: (m.cpuS.server / m.elapsedS / NCPU) * 100,
      hubUs: (m.cpuS.server / done.producedSinceMark) * 1e6,
      influxCpuPct: (m.cpuS.influxd / m.elapsedS / NCPU) * 100,
      loadCpuPct: (loadCpu / m.elapsedS / NCPU) * 100,
      rssConnected,
      rssPeak: m.rssPeak.server,
      influxRss: m.rssPeak.influxd,
      latency,
      ack: pipe.hub ? done.ack : undefined,
      unacked: pipe.hub ? done.batches - done.acked : undefined,
      rejected: hm.rejected,
      elapsedS: m.elapsedS,
      warmup,
    };
    await sleep(1000);
    r.died = pipe.died?.(); // an out-of-memory death is reported a little after it happens
    if (r.died) log(`  !!! the hub process died during the run (${r.died})`);
    log(
      `  ${fmt(r.produced)} readings sent (${warmup.s.toFixed(0)} s warm-up + ${r.elapsedS.toFixed(0)} s measured), ${fmt(stored)} stored; server CPU ${r.hubCpuPct.toFixed(1)} % of ${NCPU} cores (${fmt(r.hubUs, 1)} µs/reading), influxd ${r.influxCpuPct.toFixed(1)} %; ` +
        `RSS ${fmt(r.rssConnected)} / peak ${fmt(r.rssPeak)} MB; latency p50 ${ms(latency.p50)} p99 ${ms(latency.p99)} (${latency.n} sampled, ${latency.polls} polls, p99 poll ${ms(latency.pollP99)})${r.ack ? `; ack p50 ${ms(r.ack.p50)} p99 ${ms(r.ack.p99)}, unacked ${fmt(r.unacked)}` : ''}`,
    );
    return r;
  } finally {
    await load?.stop();
    profiles.push(...(await pipe.stop()));
    await influx.stop();
    if (profiles.length) reportProfiles(profiles, `fleet ${pipeline}`);
  }
}

const profileNotes = [];
function reportProfiles(files, what) {
  for (const f of files) {
    if (o['profile-out'] !== undefined) {
      mkdirSync(o['profile-out'], { recursive: true });
      copyFileSync(f, join(o['profile-out'], `${what.replace(/\W+/g, '-')}-${f.split('/').pop()}`));
    }
    if (f.endsWith('.heapprofile')) {
      log(`hub allocation profile (${what}): ${o['profile-out'] ?? '(pass --profile-out to keep it)'}`);
      continue;
    }
    const s = summarizeProfile(f, { top: 15, root: ROOT });
    const lines = [`hub CPU profile (${what}, the measured window: ${(s.totalMs / 1000).toFixed(1)} s sampled), self time:`];
    lines.push(...s.packages.slice(0, 10).map((p) => `  ${p.pct.toFixed(1).padStart(5)} %  ${p.name}`));
    lines.push('  top functions:');
    lines.push(...s.functions.map((p) => `  ${p.pct.toFixed(1).padStart(5)} %  ${p.name}`));
    log(lines.join('\n'));
    profileNotes.push(lines.join('\n'));
  }
}

// ------------------------------------------------------------------ main
P.cpuProf = o['cpu-prof'];
const median = (xs) => {
  const s = xs.filter((x) => x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : undefined;
};
const sections = [];
const started = Date.now();

if (P.scenarios.includes('burst')) {
  for (const batch of P.batches) {
    const runs = {};
    for (let k = 0; k < P.repeat; k++) {
      for (const p of P.pipelines) (runs[p] ??= []).push(await burst(p, batch));
    }
    const med = Object.fromEntries(
      Object.entries(runs).map(([p, rs]) => {
        const pick = (f) => median(rs.map(f));
        return [p, { ...rs[0], stalled: rs.some((r) => r.stalled), perS: pick((r) => r.perS), msgPerS: pick((r) => r.msgPerS), lost: pick((r) => r.lost), stored: pick((r) => r.stored), serverUs: pick((r) => r.serverUs), brokerUs: pick((r) => r.brokerUs), influxUs: pick((r) => r.influxUs), lat50: pick((r) => r.latency.p50), lat99: pick((r) => r.latency.p99), ack50: pick((r) => r.ack?.p50), ack99: pick((r) => r.ack?.p99), rssPeak: pick((r) => r.rssPeak), influxRss: pick((r) => r.influxRss) }];
      }),
    );
    const rows = Object.entries(med).map(([p, r]) => [
      LABEL[p],
      `${fmt(r.connected)}`,
      r.died ? `**hub died** (${r.died}) after ${fmt(r.stored)}` : r.stalled ? `**stalled** after ${fmt(r.stored)}` : `${fmt(r.perS)} (${fmt(r.msgPerS)} msg/s)`,
      r.stalled ? `${fmt(r.expected - r.stored)} of ${fmt(r.expected)} never stored` : `${fmt(r.lost)} of ${fmt(r.produced)}`,
      r.stalled ? '–' : `${fmt(r.serverUs, 1)}${r.brokerUs !== undefined ? ` (broker ${fmt(r.brokerUs, 1)})` : ''}`,
      r.stalled ? '–' : fmt(r.influxUs, 1),
      r.stalled ? '–' : `${ms(r.lat50)} / ${ms(r.lat99)}`,
      `${fmt(r.rssFirst)} → ${fmt(r.rssPeak)} MB`,
      `${fmt(r.influxRss)} MB`,
    ]);
    const headers = ['pipeline', 'connected', 'stored readings/s', 'lost', 'server CPU µs/reading', 'influxd CPU µs/reading', 'measurement → stored p50 / p99', 'server RSS start → peak', 'influxd RSS peak'];
    const title = `Burst: ${P.burstConns} connections, ${fmt(P.burstConns * Math.max(1, Math.round(P.burstReadings / P.burstConns / batch)) * batch)} readings in ${batch}-reading batches (window ${P.window} per connection)${P.repeat > 1 ? `, median of ${P.repeat}` : ''}`;
    log(`\n${title}\n`);
    const t = table(headers, rows);
    const notes = [];
    for (const hp of ['hub']) {
      const h = med[hp];
      if (!h) continue;
      notes.push(
        h.stalled
          ? `${hp}: **stalled** — after ${fmt(h.stored)} readings nothing was stored or acked for ${P.settleS} s, with ${fmt(h.unacked)} batches unacked; messages rejected by validation ${fmt(h.rejected)}`
          : `${hp}: publish → hub ack p50 / p99 ${ms(h.ack50)} / ${ms(h.ack99)} (the ack goes out once InfluxDB has the batch); unacked ${fmt(h.unacked)}; messages rejected by validation ${fmt(h.rejected)}`,
      );
      for (const [p, name] of [['baseline', 'baseline'], ['node-red', 'Node-RED']]) {
        if (!med[p] || h.stalled || med[p].stalled) continue;
        notes.push(`${hp} / ${name}: ${(h.perS / med[p].perS).toFixed(2)}× the readings/s, ${(h.serverUs / med[p].serverUs).toFixed(2)}× the server CPU per reading`);
      }
      if (med.baseline) notes.push(`${hp} vs target (≥ 50,000 readings/s, ≥ 0.8× the baseline, zero loss): ${h.perS >= 50_000 && h.perS >= 0.8 * med.baseline.perS && h.lost === 0 && !h.stalled ? 'met' : 'NOT met'}`);
    }
    log(notes.map((n) => `- ${n}`).join('\n'));
    sections.push(`### ${title}\n\n${t}\n\n${notes.map((n) => `- ${n}`).join('\n')}`);
  }
}

if (P.scenarios.includes('fleet')) {
  for (const pipeline of o['fleet-pipelines'].split(',')) {
    const r = await fleet(pipeline);
    const who = r.isHub ? 'hub' : 'Mosquitto + subscriber';
    const rows = [
      ...(r.died ? [['**the hub process died during the run**', r.died]] : []),
      [`connections / connected${r.isHub ? ' (load / hub)' : ''}`, `${fmt(r.connections)} / ${fmt(r.connected)}${r.isHub ? ` / ${fmt(r.hubConnected)}` : ''} after ${r.connectS.toFixed(0)} s (${fmt(r.attempts)} attempts${r.attempts > r.connected ? `; failed: ${Object.entries(r.connectErrors).map(([k, v]) => `${k} ×${v}`).join(', ')}` : ''})`],
      [r.drainCut ? 'readings sent / stored / not stored yet (warm-up included)' : 'readings sent / stored / lost (warm-up included)', `${fmt(r.produced)} / ${fmt(r.stored)} / ${fmt(r.lost)}${r.drainCut ? ` — still queued (agents' windows, hub buffer) when the bench stopped waiting ${P.fleetDrainS} s after the last send` : ''} (${fmt(r.perS)} readings/s sent and ${fmt(r.storedPerS)} stored while measured, ${r.elapsedS.toFixed(0)} s after a ${r.warmup.s.toFixed(0)} s warm-up${r.warmup.caughtUp ? ' that ended once the series were created and the backlog stored' : `, cut at ${P.fleetWarmupMaxS} s with ${fmt(r.warmup.backlog)} readings not stored`})`],
      [`${who} CPU, % of the machine`, `${r.hubCpuPct.toFixed(1)} % of ${NCPU} cores (${fmt(r.hubUs, 1)} µs/reading)${r.isHub ? ' — target < 50 %' : ''}`],
      [`${who} RSS, all connected / peak`, `${fmt(r.rssConnected)} / ${fmt(r.rssPeak)} MB${r.isHub ? ' — target < 1,536 MB' : ''}`],
      ['measurement → stored p50 / p99 (sampled from InfluxDB)', `${ms(r.latency.p50)} / ${ms(r.latency.p99)} (${fmt(r.latency.n)} batches)${r.isHub ? ' — target p99 < 2 s' : ''}`],
      ...(r.isHub ? [['publish → hub ack p50 / p99 (every batch)', `${ms(r.ack.p50)} / ${ms(r.ack.p99)}; unacked ${fmt(r.unacked)}`], ['messages rejected by validation', fmt(r.rejected)]] : []),
      ['influxd CPU / RSS peak', `${r.influxCpuPct.toFixed(1)} % / ${fmt(r.influxRss)} MB`],
      ['load process CPU', `${r.loadCpuPct.toFixed(1)} %`],
    ];
    const title = `Fleet: ${fmt(P.fleetConns)} agents, one ${P.fleetBatch}-reading batch each every ${P.fleetIntervalS} s, ${P.fleetDurationS} s — ${LABEL[pipeline]}`;
    log(`\n${title}\n`);
    sections.push(`### ${title}\n\n${table(['fleet', 'value'], rows)}`);
  }
}

/** The checkout measured: git commit (+ whether hub/ or protocols/ differ from it), or a REVISION file. */
function revision() {
  const git = (...args) => spawnSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status === 0) return `${head.stdout.trim()}${git('status', '--porcelain', '--', 'hub', 'protocols').stdout.trim() ? ' + uncommitted changes in hub/ or protocols/' : ''}`;
  return existsSync(join(ROOT, 'REVISION')) ? readFileSync(join(ROOT, 'REVISION'), 'utf8').trim() : 'unknown';
}
const footer = [
  `Hub ${revision()}${o['hub-node-options'] ? ` (node ${o['hub-node-options']})` : ''}; ${influxVersion}, Mosquitto ${spawnSync(findCommand('mosquitto') ?? 'mosquitto', ['-h'], { encoding: 'utf8' }).stdout.match(/version ([\d.]+)/)?.[1] ?? '?'}, Node-RED ${nodeRedVersion()}. Ran ${((Date.now() - started) / 60_000).toFixed(1)} min${quick ? ' (--quick)' : ''}.`,
  'Readings: 6 numeric metrics each; every run on a fresh influxd; stored = `SELECT count(voltage) FROM reading`; readings/s = stored / (last point accepted by influxd − first publish).',
  'Server CPU = hub process, or Mosquitto + subscriber / Node-RED (from /proc, over the run). Measurement → stored: the card-000 reading of every batch of 20 agents (burst) or 100 (fleet), polled in InfluxDB every 100 ms (±60 ms).',
  `Mosquitto: max_queued_messages 0 (no bound: its default 1000 silently drops QoS 1 to a slow subscriber), max_inflight_messages ${P.mosquittoInflight}, set_tcp_nodelay true.`,
].join('\n');
if (profileNotes.length) sections.push(`<details><summary>hub CPU profiles</summary>\n\n\`\`\`\n${profileNotes.join('\n\n')}\n\`\`\`\n</details>`);
if (!o['no-write'] && sections.length) writeResults(o.section, `${sections.join('\n\n')}\n\n${footer}`);
process.exit(0);
