#!/usr/bin/env node
// Alarms → tickets under load: 1,000 receiving cards (50 agents × 20 cards by default)
// each reporting every 10 s through the real ingest path (the hub's embedded broker with
// agent auth and ACLs, contract validation, telemetry store, alarm evaluator, ticket
// service), with 1 % of them faulting at any time: a card turns hot (90 °C ≥ the 85 °C fault
// rule) for --fault-s, then cools; every faulting card is a new one, so each fault must
// open a new alarm and a new ticket.
//
// The hub runs in this process (built hub/dist); the agents are mqtt.js connections in a
// separate load process (this script with --role load), so the hub's CPU and RSS are its
// own. Measured in the hub process:
//   - latency: the telemetry batch carrying a card's first hot reading arriving at the
//     broker (its authorizePublish) → the ticket row existing (checked in an `alarm` listener
//     registered after the ticket service's);
//   - evaluator CPU per reading: process.cpuUsage() around every ctx.alarms.onReadings call
//     (synchronous), divided by the readings it evaluated — it includes writing an alarm and
//     opening its ticket when one is raised (the ticket service runs inside the commit);
//   - throughput (readings evaluated per second), hub CPU % of one core, RSS.
//   node bench/alarms/run.mjs            full: 300 s measured after a 20 s warm-up
//   node bench/alarms/run.mjs --quick    40 s measured, for development
// Options: --devices 1000 --agents 50 --interval-s 10 --fault-pct 1 --fault-s 20 --duration-s --warmup-s
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, build, cpuSeconds, percentile, rssMb, table, writeResults } from '../lib/results.mjs';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'hub' },
    quick: { type: 'boolean', default: false },
    devices: { type: 'string', default: '1000' },
    agents: { type: 'string', default: '50' },
    'interval-s': { type: 'string', default: '10' },
    'fault-pct': { type: 'string', default: '1' },
    'fault-s': { type: 'string', default: '20' },
    'duration-s': { type: 'string' },
    'warmup-s': { type: 'string' },
  },
});
const opts = {
  devices: Number(values.devices),
  agents: Number(values.agents),
  intervalS: Number(values['interval-s']),
  faultPct: Number(values['fault-pct']),
  faultS: Number(values['fault-s']),
  durationS: Number(values['duration-s'] ?? (values.quick ? 40 : 300)),
  warmupS: Number(values['warmup-s'] ?? (values.quick ? 12 : 20)),
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cardsPerAgent = () => Math.ceil(opts.devices / opts.agents);
const cardId = (i) => `ctrl-1/p${Math.floor(i / 32)}/c${i % 32}`;

if (values.role === 'load') await runLoad();
else await runHub();

// ───────────────────────────────────────────────────────────────────────── load process

async function runLoad() {
  const { default: mqtt } = await import('mqtt');
  /** @type {{ mqttUrl: string, agents: { agentId: string, secret: string }[], startAt: number, measureFrom: number, stopAt: number }} */
  const job = await new Promise((r) => process.once('message', r));
  const perAgent = cardsPerAgent();
  const sent = { batches: 0, readings: 0, faults: 0 };
  const clients = [];
  // Fault plan: cards in a shuffled order, one starting every faultS / concurrent seconds from
  // the start of the measurement, so `concurrent` (= faultPct of the devices) are hot at once.
  const concurrent = Math.max(1, Math.round((opts.devices * opts.faultPct) / 100));
  const order = [];
  for (let a = 0; a < job.agents.length; a++) for (let c = 0; c < perAgent && a * perAgent + c < opts.devices; c++) order.push([a, c]);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const everyMs = (opts.faultS * 1000) / concurrent;
  const hotFrom = new Map(); // `${a}:${c}` → fault start (ms)
  order.forEach(([a, c], i) => {
    const start = job.measureFrom + i * everyMs;
    if (start < job.stopAt - opts.faultS * 1000) hotFrom.set(`${a}:${c}`, start);
  });
  const reported = new Set();

  await Promise.all(
    job.agents.map(async ({ agentId, secret }, a) => {
      await sleep((a * 2000) / job.agents.length); // spread the connects
      const sessionId = `bench-${a}-${Date.now().toString(36)}`;
      const startedAt = Date.now();
      const base = `ledwatch/v1/${agentId}`;
      const client = mqtt.connect(job.mqttUrl, {
        clientId: agentId,
        username: agentId,
        password: secret,
        clean: true,
        keepalive: 30,
        reconnectPeriod: 1000,
        will: { topic: `${base}/status`, payload: Buffer.from(JSON.stringify({ state: 'offline', version: 'bench', sessionId, startedAt, at: startedAt, reason: 'lost' })), qos: 1, retain: true },
      });
      clients.push(client);
      await new Promise((resolve, reject) => {
        client.once('connect', resolve);
        client.once('error', reject);
      });
      const devices = [{ id: 'ctrl-1', kind: 'novastar', capabilities: [] }];
      for (let c = 0; c < perAgent && a * perAgent + c < opts.devices; c++) devices.push({ id: cardId(c), kind: 'novastar', parent: 'ctrl-1', capabilities: [] });
      await client.publishAsync(`${base}/status`, JSON.stringify({ state: 'online', version: 'bench', sessionId, startedAt, at: Date.now() }), { qos: 1, retain: true });
      await client.publishAsync(`${base}/inventory`, JSON.stringify({ sessionId, at: Date.now(), devices }), { qos: 1, retain: true });
      // Each agent reports all its cards in one batch per interval, agents evenly phased.
      let seq = 0;
      let next = job.startAt + (a * opts.intervalS * 1000) / job.agents.length;
      while (next < job.stopAt) {
        await sleep(Math.max(0, next - Date.now()));
        const now = Date.now();
        const firstHot = [];
        const readings = devices.slice(1).map((d, c) => {
          const from = hotFrom.get(`${a}:${c}`);
          const hot = from !== undefined && now >= from && now < from + opts.faultS * 1000;
          if (hot && !reported.has(`${a}:${c}`)) {
            reported.add(`${a}:${c}`);
            firstHot.push(d.id);
          }
          return { device: d.id, at: now, metrics: { temperatureC: hot ? 90 : 38 + (c % 5), voltageV: 4.9 } };
        });
        seq++;
        // seq first: the hub side reads it from the first bytes without parsing the batch.
        await client.publishAsync(`${base}/telemetry`, JSON.stringify({ seq, sessionId, sentAt: now, readings }), { qos: 1 });
        sent.batches++;
        sent.readings += readings.length;
        for (const device of firstHot) {
          sent.faults++;
          process.send?.({ kind: 'fault', agentId, seq, device, sentAt: now });
        }
        next += opts.intervalS * 1000;
      }
    }),
  );
  await Promise.all(clients.map((c) => c.endAsync()));
  process.send?.({ kind: 'done', sent });
  process.disconnect?.();
}

// ───────────────────────────────────────────────────────────────────────── hub process

async function runHub() {
  build();
  const { loadHubConfig, startHub, createAdmin } = await import(`${ROOT}hub/dist/index.js`);
  const dir = mkdtempSync(join(tmpdir(), 'ledwatch-bench-alarms-'));
  const hub = await startHub(
    loadHubConfig({ env: { LEDWATCH_LOG_LEVEL: 'warn' }, overrides: { http: { host: '127.0.0.1', port: 0 }, mqtt: { host: '127.0.0.1', port: 0 }, data: { dir } } }),
  );
  const { token } = await createAdmin(hub.ctx.state, { email: 'bench@example.test' });
  const api = async (method, path, body) => {
    const res = await fetch(`${hub.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const customer = await api('POST', '/api/customers', { name: 'Bench' });
  const site = await api('POST', '/api/sites', { customerId: customer.id, name: 'Bench site' });
  const agents = [];
  for (let a = 0; a < opts.agents; a++) {
    const { agentId, secret } = await api('POST', '/api/agents', { name: `bench-${a}`, siteId: site.id });
    agents.push({ agentId, secret });
  }

  // Arrival of telemetry batches at the broker, by agent and seq (read from the first bytes):
  // aedes asks authorizePublish first thing after parsing a PUBLISH, before any subscriber.
  const arrivals = new Map();
  const aedes = hub.broker.aedes;
  const authorizePublish = aedes.authorizePublish;
  aedes.authorizePublish = (client, packet, callback) => {
    if (client && packet.topic.endsWith('/telemetry')) {
      const m = /^\{"seq":(\d+)/.exec(Buffer.from(packet.payload).toString('latin1', 0, 24));
      if (m) arrivals.set(`${client.id}:${m[1]}`, performance.now());
    }
    authorizePublish.call(aedes, client, packet, callback);
  };
  // The ticket of a raised alarm, checked right after the ticket service handled it.
  const ticketOf = hub.ctx.state.sqlite.prepare("select id from tickets where agent_id = ? and device_id = ? and fault_type = ? and state in ('new','assigned','scheduled','on-site')");
  const ticketAt = new Map();
  let raised = 0;
  hub.ctx.bus.on('alarm', (change) => {
    const a = change.alarm;
    if (change.kind !== 'raised' || a.type !== 'card-over-temperature') return;
    raised++;
    if (ticketOf.get(a.agentId, a.deviceId, a.type) !== undefined) ticketAt.set(`${a.agentId}:${a.deviceId}`, performance.now());
  });
  // Evaluator CPU: around every (synchronous) onReadings call.
  const evalStats = { calls: 0, readings: 0, cpuUs: 0, perReadingUs: [] };
  let measuring = false;
  const onReadings = hub.ctx.alarms.onReadings.bind(hub.ctx.alarms);
  hub.ctx.alarms.onReadings = (agent, readings) => {
    const c0 = process.cpuUsage();
    onReadings(agent, readings);
    const c = process.cpuUsage(c0);
    if (!measuring) return;
    const us = c.user + c.system;
    evalStats.calls++;
    evalStats.readings += readings.length;
    evalStats.cpuUs += us;
    evalStats.perReadingUs.push(us / readings.length);
  };

  const startAt = Date.now() + 3000;
  const measureFrom = startAt + opts.warmupS * 1000;
  const stopAt = measureFrom + opts.durationS * 1000;
  const load = fork(fileURLToPath(import.meta.url), ['--role', 'load', ...process.argv.slice(2).filter((a) => a !== '--role')], { stdio: 'inherit' });
  const faults = [];
  let sent;
  const done = new Promise((resolve) =>
    load.on('message', (m) => {
      if (m.kind === 'fault') faults.push(m);
      else if (m.kind === 'done') resolve((sent = m.sent));
    }),
  );
  load.send({ mqttUrl: hub.mqttUrl, agents, startAt, measureFrom, stopAt });
  process.stdout.write(
    `${opts.agents} agents × ${cardsPerAgent()} cards = ${opts.devices} devices every ${opts.intervalS} s, ${opts.faultPct} % faulting (${opts.faultS} s each); warm-up ${opts.warmupS} s, measuring ${opts.durationS} s\n`,
  );

  await sleep(Math.max(0, measureFrom - Date.now()));
  measuring = true;
  const cpu0 = cpuSeconds(process.pid);
  const t0 = performance.now();
  const rss = [];
  while (Date.now() < stopAt) {
    rss.push(rssMb(process.pid));
    await sleep(2000);
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(process.pid);
  measuring = false;
  await done;
  await sleep(2000); // the last batches' alarms and tickets
  rss.push(rssMb(process.pid));

  const latencies = [];
  let missing = 0;
  for (const f of faults) {
    const arrived = arrivals.get(`${f.agentId}:${f.seq}`);
    const ticket = ticketAt.get(`${f.agentId}:${f.device}`);
    if (arrived === undefined || ticket === undefined) missing++;
    else latencies.push(ticket - arrived);
  }
  latencies.sort((x, y) => x - y);
  const perReading = evalStats.perReadingUs.sort((x, y) => x - y);
  const tickets = hub.ctx.state.sqlite.prepare("select count(*) n from tickets where fault_type = 'card-over-temperature'").get().n;
  const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : 'n/a');
  const achieved = evalStats.readings / elapsedS;
  const text = [
    table(
      ['devices', 'interval', 'faulting', 'readings/s target', 'readings/s evaluated', 'faults injected', 'alarms raised', 'tickets opened', 'unmatched'],
      [[opts.devices, `${opts.intervalS} s`, `${opts.faultPct} %`, (opts.devices / opts.intervalS).toFixed(0), achieved.toFixed(1), faults.length, raised, tickets, missing]],
    ),
    '',
    table(
      ['reading → ticket p50 (ms)', 'p95 (ms)', 'p99 (ms)', 'max (ms)', 'evaluator CPU µs/reading (mean)', 'p99 µs/reading (per batch)', 'hub CPU % of a core', 'hub RSS MB (max)'],
      [
        [
          ms(percentile(latencies, 50)),
          ms(percentile(latencies, 95)),
          ms(percentile(latencies, 99)),
          ms(latencies.at(-1)),
          (evalStats.cpuUs / Math.max(1, evalStats.readings)).toFixed(1),
          ms(percentile(perReading, 99)),
          (((cpu1 - cpu0) / elapsedS) * 100).toFixed(1),
          Math.max(...rss).toFixed(0),
        ],
      ],
    ),
  ].join('\n');
  const sentLine = `Load sent ${sent.batches} batches / ${sent.readings} readings in all (warm-up included); measured ${elapsedS.toFixed(0)} s.`;
  process.stdout.write(`${sentLine}\n`);
  if (!values.quick) {
    writeResults(
      'alarms: 1,000 devices every 10 s, 1 % faulting → tickets',
      `\`node bench/alarms/run.mjs\` — ${opts.agents} agent connections (mqtt.js, separate load process) × ${cardsPerAgent()} cards through the hub's embedded broker, contract validation, embedded telemetry store, alarm evaluator and ticket service. Latency: the batch with a card's first hot reading arriving at the broker → its ticket row existing. Evaluator CPU: process.cpuUsage() around each onReadings call. Shared, busy 2-core machine: figures are indicative.\n\n${text}\n\n${sentLine} Target: p99 < 1000 ms.`,
    );
  }
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
  if (missing > 0 || faults.length === 0) process.exitCode = 1;
}
