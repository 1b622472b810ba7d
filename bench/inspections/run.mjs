#!/usr/bin/env node
// Inspections at scale: a real hub process (built dist) with N sites, each with one
// lightweight simulated agent (an in-process mqtt.js client that answers `inspect` with
// contract facts), all inspected in ONE scheduled run (node-cron fires the sites' shared
// schedule). Measures the wall time from the scheduled minute to the last report, hub CPU
// and peak RSS, and the PDF time of each report; counts reports stored, agents that
// answered and mails received by a real SMTP server. Target: < 10 min, < 1 GB, PDF < 1 s.
//   node --import tsx bench/inspections/run.mjs [--agents 1000]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { stringify } from 'yaml';
import { ROOT, build, cpuSeconds, percentile, rssMb, table, writeResults } from '../lib/results.mjs';

const { values } = parseArgs({ options: { agents: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '50' } } });
const N = Number(values.agents);
build();
const { freePort } = await import(`${ROOT}test/support/services.ts`);
const { startSmtpServer } = await import(`${ROOT}hub/src/notify/test-servers.ts`);
const { INSPECT_SAMPLES, encodePayload, topics } = await import(`${ROOT}protocols/dist/index.js`);
const { HUB_VERSION } = await import(`${ROOT}hub/dist/version.js`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'ledwatch-bench-inspect-'));
const smtp = await startSmtpServer();
const [httpPort, mqttPort] = [await freePort(), await freePort()];
const hubYaml = join(dir, 'hub.yaml');
writeFileSync(
  hubYaml,
  stringify({
    http: { host: '127.0.0.1', port: httpPort },
    mqtt: { host: '127.0.0.1', port: mqttPort },
    data: { dir: join(dir, 'hub') },
    log: { level: 'warn' },
    smtp: { host: '127.0.0.1', port: smtp.port, from: 'ledwatch <noreply@example.test>' },
    inspections: { concurrency: Number(values.concurrency), missedRunDelayS: 3600 },
  }),
);
const cli = `${ROOT}hub/dist/cli.js`;
const admin = spawnSync(process.execPath, [cli, 'create-admin', '--config', hubYaml, '--email', 'bench@example.test'], { encoding: 'utf8' });
if (admin.status !== 0) throw new Error(`create-admin failed: ${admin.stderr}`);
const token = admin.stdout.trim();
const hub = spawn(process.execPath, [cli, 'run', '--config', hubYaml], { stdio: ['ignore', 'ignore', 'inherit'] });
const url = `http://127.0.0.1:${httpPort}`;
const api = async (method, path, body) => {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
};
for (let i = 0; ; i++) {
  try {
    await api('GET', '/api/health');
    break;
  } catch {
    if (i > 200) throw new Error('hub did not start');
    await sleep(100);
  }
}

// N sites of one customer (one contact gets every report), one agent each.
const customer = await api('POST', '/api/customers', { name: 'Bench customer' });
await api('POST', '/api/contacts', { customerId: customer.id, name: 'Bench contact', email: 'reports@customer.example' });
const agents = [];
const pool = async (items, width, fn) => {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
};
await pool([...Array(N).keys()], 16, async (i) => {
  const site = await api('POST', '/api/sites', { customerId: customer.id, name: `Bench site ${String(i).padStart(4, '0')}` });
  const agent = await api('POST', '/api/agents', { name: `bench-agent-${i}`, siteId: site.id });
  agents.push({ siteId: site.id, ...agent });
});
process.stdout.write(`provisioned ${agents.length} sites and agents\n`);

// Lightweight agents: birth, then answer `inspect` with contract facts.
const facts = JSON.parse(JSON.stringify(INSPECT_SAMPLES.facts.valid[0]));
facts.agentVersion = HUB_VERSION;
facts.compatibility.agentVersion = HUB_VERSION;
let answered = 0;
const clients = [];
await pool(agents, 25, async (a) => {
  const now = Date.now();
  const sessionId = Math.random().toString(36).slice(2, 14).padEnd(12, 'x');
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
    clientId: a.agentId,
    username: a.agentId,
    password: a.secret,
    reconnectPeriod: 1000,
    will: { topic: topics.status(a.agentId), payload: encodePayload('status', { state: 'offline', version: HUB_VERSION, sessionId, startedAt: now, at: now, reason: 'lost' }), qos: 1, retain: true },
  });
  client.on('message', (topic, payload) => {
    const cmd = JSON.parse(payload.toString());
    if (cmd.type !== 'inspect') return;
    const result = { id: cmd.id, type: 'inspect', state: 'succeeded', at: Date.now(), result: { facts: { ...facts, collectedAt: Date.now() } } };
    client.publish(topics.cmdResult(a.agentId, cmd.id), encodePayload('cmd-result', result), { qos: 1 });
    answered++;
  });
  await client.subscribeAsync(`ledwatch/v1/${a.agentId}/cmd/+`, { qos: 1 });
  await client.publishAsync(topics.status(a.agentId), encodePayload('status', { state: 'online', version: HUB_VERSION, sessionId, startedAt: now, at: now }), { qos: 1, retain: true });
  clients.push(client);
});
for (let i = 0; ; i++) {
  const online = (await api('GET', '/api/agents')).items.filter((x) => x.online).length;
  if (online === N) break;
  if (i > 600) throw new Error(`only ${online} of ${N} agents online`);
  await sleep(200);
}
process.stdout.write(`${N} agents online\n`);

// One schedule for every site, due at a minute at least 60 s ahead (UTC sites).
const due = Math.ceil((Date.now() + 60_000) / 60_000) * 60_000;
const d = new Date(due);
const cron = `${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
await pool(agents, 8, async (a) => api('PUT', `/api/sites/${a.siteId}/inspection-settings`, { enabled: true, cron, templateId: 'monthly', seasonal: ['rainy', 'typhoon', 'winter'], network: {}, allowedPorts: [22], logDirs: [], mail: true }));
process.stdout.write(`schedule "${cron}" (UTC) set on ${N} sites; waiting for ${new Date(due).toISOString()}\n`);
while (Date.now() < due - 2000) await sleep(250);

const db = new Database(join(dir, 'hub', 'ledwatch.db'), { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const cpu0 = cpuSeconds(hub.pid);
const t0 = Date.now();
let peakRss = rssMb(hub.pid);
let done = 0;
const deadline = due + 20 * 60_000;
while (Date.now() < deadline) {
  peakRss = Math.max(peakRss, rssMb(hub.pid));
  done = db.prepare("select count(*) n from inspections where state in ('done', 'failed') and trigger = 'schedule'").get().n;
  if (done >= N) break;
  await sleep(250);
}
const cpu = cpuSeconds(hub.pid) - cpu0;
const span = db.prepare("select min(created_at) first, max(finished_at) last, sum(agent_online) online, sum(state = 'done') ok from inspections where trigger = 'schedule'").get();
const pdf = db.prepare("select pdf_ms ms, length(pdf) bytes from reports r join inspections i on i.id = r.inspection_id where i.trigger = 'schedule'").all();
const mailed = db.prepare("select count(*) n from reports where mailed_at is not null").get().n;
db.close();
await sleep(2000); // last mails in flight
const wallS = (span.last - due) / 1000;
const pdfMs = pdf.map((p) => p.ms).sort((a, b) => a - b);
const avgKb = pdf.reduce((s, p) => s + p.bytes, 0) / Math.max(1, pdf.length) / 1024;

for (const c of clients) c.end(true);
hub.kill('SIGTERM');
await new Promise((r) => hub.once('exit', r));
await smtp.close();
rmSync(dir, { recursive: true, force: true });

const rows = [
  ['sites / agents inspected in one scheduled run', `${N} (concurrency ${values.concurrency})`],
  ['inspections finished (done)', `${span.ok ?? 0} of ${N}; agents answered: ${span.online ?? 0} (${answered} inspect commands seen)`],
  ['reports stored / mailed / mails at the SMTP server', `${pdf.length} / ${mailed} / ${smtp.mails.length}`],
  ['wall time, scheduled minute → last report', `${wallS.toFixed(1)} s (first run started ${((span.first - due) / 1000).toFixed(1)} s after it; target < 600 s)`],
  ['hub CPU during the run', `${cpu.toFixed(1)} s (${((cpu / Math.max(1, (Date.now() - t0) / 1000)) * 100).toFixed(0)} % of one core on average)`],
  ['hub peak RSS', `${peakRss.toFixed(0)} MB (target < 1024 MB)`],
  ['PDF render time p50 / p99 / max', `${percentile(pdfMs, 50)} / ${percentile(pdfMs, 99)} / ${pdfMs.at(-1)} ms (target < 1000 ms); ${avgKb.toFixed(0)} KB each`],
];
const text = table(['inspections', 'value'], rows);
writeResults('Scheduled inspections of many sites in one run (bench/inspections)', `${text}\n\nShared, busy 2-core machine (other workers ran tests meanwhile). Agents are in-process mqtt.js clients answering with the contract's sample facts; the hub is a separate process.`);
process.exit(0);
