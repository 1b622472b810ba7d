#!/usr/bin/env node
// Web UI figures, in real headless Chromium (Debian `chromium`) against a real hub:
//  1. reading → pixel: a reading published over MQTT (as an agent would) until the site
//     page has re-rendered the card and the browser has produced the next frame; p50/p99;
//  2. time to render the fleet page with 1,000 sites (navigation start → all rows drawn);
//  3. gzip size of what the first page load ships (index.html, JS, CSS); target < 250 KB.
//   node bench/ui/run.mjs [--samples 60] [--sites 1000]
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { chromium } from 'playwright-core';
import { ROOT, build, percentile, rssMb, table, writeResults } from '../lib/results.mjs';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '60' }, sites: { type: 'string', default: '1000' } } });
const SAMPLES = Number(values.samples);
const SITES = Number(values.sites);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const chromiumPath = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
if (chromiumPath === '') {
  process.stderr.write('chromium not found: apt-get install chromium (or bash scripts/install-services.sh)\n');
  process.exit(2);
}

build();
const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: join(ROOT, 'dashboards'), stdio: 'inherit' });
if (vite.status !== 0) throw new Error('vite build failed');

// ---- 3. first-load size (what index.html pulls in)
const dist = join(ROOT, 'dashboards', 'dist');
const html = readFileSync(join(dist, 'index.html'));
const assets = [...html.toString().matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]);
const files = [{ name: 'index.html', body: html }, ...assets.map((a) => ({ name: a, body: readFileSync(join(dist, a)) }))];
const rawBytes = files.reduce((n, f) => n + f.body.length, 0);
const gzBytes = files.reduce((n, f) => n + gzipSync(f.body, { level: 9 }).length, 0);

const { loadHubConfig, startHub, createAdmin } = await import(`${ROOT}hub/dist/index.js`);
const { topics, encodePayload } = await import(`${ROOT}protocols/dist/index.js`);
const dir = mkdtempSync(join(tmpdir(), 'ledwatch-bench-ui-'));
const hub = await startHub(loadHubConfig({ env: { LEDWATCH_LOG_LEVEL: 'warn' }, overrides: { http: { host: '127.0.0.1', port: 0 }, mqtt: { host: '127.0.0.1', port: 0 }, data: { dir } } }));
const { token } = await createAdmin(hub.ctx.state, { email: 'bench@example.test' });
const api = async (method, path, body) => {
  const res = await fetch(`${hub.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  return res.json();
};
const customer = await api('POST', '/api/customers', { name: 'Bench' });
const site = await api('POST', '/api/sites', { customerId: customer.id, name: 'Bench site' });
const { agentId, secret } = await api('POST', '/api/agents', { name: 'bench-agent', siteId: site.id });

// ---- an "agent" publishing by hand: birth, inventory of a controller with 2 × 8 cards
const client = await mqtt.connectAsync(hub.mqttUrl, { clientId: agentId, username: agentId, password: secret });
const sessionId = randomUUID().slice(0, 8);
const started = Date.now();
await client.publishAsync(topics.status(agentId), encodePayload('status', { state: 'online', version: 'bench', sessionId, startedAt: started, at: started }), { qos: 1, retain: true });
const cards = [];
for (let p = 0; p < 2; p++) for (let c = 0; c < 8; c++) cards.push(`ctrl-1/p${p}/c${c}`);
const devices = [{ id: 'ctrl-1', kind: 'novastar', capabilities: ['sending-card', 'receiving-cards'] }, ...cards.map((id) => ({ id, kind: 'novastar', parent: 'ctrl-1', capabilities: ['receiving-card'] }))];
await client.publishAsync(topics.inventory(agentId), encodePayload('inventory', { sessionId, at: started, devices }), { qos: 1 });
let seq = 0;
const publish = (readings) => client.publishAsync(topics.telemetry(agentId), encodePayload('telemetry', { seq: ++seq, sessionId, sentAt: Date.now(), readings }), { qos: 1 });
const reading = (device, state, at = Date.now()) => ({ device, at, metrics: { temperatureC: 40, voltageV: 5 }, state });
await publish([{ device: 'ctrl-1', at: Date.now(), metrics: { cards: cards.length }, state: 'ok' }, ...cards.map((d) => reading(d, 'ok'))]);
await sleep(1000);

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const me = await (await fetch(`${hub.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json();
await context.addInitScript(`localStorage.setItem('ledwatch.session', ${JSON.stringify(JSON.stringify({ token, user: me.user, expiresAt: null }))})`);
const page = await context.newPage();
const consoleErrors = [];
page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

// ---- 1. reading → pixel on the site page
await page.goto(`${hub.url}/#/sites/${site.id}`);
await page.locator('td[data-device="ctrl-1/p0/c0"][data-state="ok"]').waitFor({ timeout: 30_000 });
// In the page: when the card's state attribute changes, wait for the next frame and keep its wall-clock time.
await page.evaluate(`(() => {
  const cell = () => document.querySelector('td[data-device="ctrl-1/p0/c0"]');
  window.__painted = [];
  new MutationObserver(() => {
    const s = cell()?.getAttribute('data-state');
    requestAnimationFrame(() => setTimeout(() => window.__painted.push({ state: s, at: performance.timeOrigin + performance.now() }), 0));
  }).observe(document.getElementById('main'), { subtree: true, attributes: true, attributeFilter: ['data-state'] });
})()`);
const latencies = [];
let lost = 0;
for (let i = 0; i < SAMPLES; i++) {
  const state = i % 2 === 0 ? 'warn' : 'ok';
  const sent = Date.now();
  await publish([reading('ctrl-1/p0/c0', state, sent)]);
  const deadline = Date.now() + 5000;
  let seen;
  while (seen === undefined && Date.now() < deadline) {
    const painted = await page.evaluate('window.__painted.splice(0)');
    seen = painted.find((p) => p.state === state);
    if (seen === undefined) await sleep(5);
  }
  if (seen === undefined) lost++;
  else latencies.push(seen.at - sent);
  await sleep(150);
}
latencies.sort((a, b) => a - b);

// ---- 2. fleet page with many sites (rows straight into the state database)
const now = Date.now();
const db = hub.ctx.state.sqlite;
const insertCustomer = db.prepare('insert into customers (id, name, language, created_at, updated_at) values (?, ?, ?, ?, ?)');
const insertSite = db.prepare('insert into sites (id, customer_id, name, timezone, address, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)');
db.transaction(() => {
  for (let c = 0; c < 50; c++) insertCustomer.run(`bench-c${c}`, `Customer ${c}`, 'en', now, now);
  for (let s = 1; s < SITES; s++) insertSite.run(`bench-s${s}`, `bench-c${s % 50}`, `Site ${String(s).padStart(4, '0')}`, 'UTC', null, now, now);
})();
const fleetApi = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  const body = await (await fetch(`${hub.url}/api/fleet`, { headers: { authorization: `Bearer ${token}` } })).json();
  fleetApi.push(performance.now() - t);
  if (body.items.length !== SITES) throw new Error(`fleet answered ${body.items.length} sites, expected ${SITES}`);
}
fleetApi.sort((a, b) => a - b);
const renders = [];
for (let i = 0; i < 7; i++) {
  await page.goto('about:blank');
  await page.goto(`${hub.url}/#/fleet`);
  await page.waitForFunction(`document.querySelectorAll('#fleet-table tbody tr').length === ${SITES}`, undefined, { timeout: 30_000, polling: 'raf' });
  renders.push(await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(performance.now())))'));
}
renders.sort((a, b) => a - b);

await browser.close();
await client.endAsync();
const hubRss = rssMb(process.pid);
await hub.close();
rmSync(dir, { recursive: true, force: true });

const ms = (v) => `${v.toFixed(0)} ms`;
const rows = [
  ['reading → pixel, live site view (MQTT publish → frame after the DOM change)', `p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1] ?? NaN)}`],
  ['readings that reached the page', `${latencies.length} of ${SAMPLES}${lost > 0 ? ` (${lost} lost)` : ''}`],
  [`fleet page, ${SITES} sites: navigation → all rows drawn`, `median ${ms(percentile(renders, 50))}, worst ${ms(renders[renders.length - 1])} (7 loads)`],
  [`GET /api/fleet, ${SITES} sites`, `p50 ${ms(percentile(fleetApi, 50))}, max ${ms(fleetApi[fleetApi.length - 1])} (10 calls)`],
  ['first-load assets (index.html + JS + CSS)', `${(gzBytes / 1024).toFixed(1)} KB gzip (${(rawBytes / 1024).toFixed(1)} KB raw), target < 250 KB`],
  ['bench process RSS at the end (hub + driver)', `${hubRss.toFixed(0)} MB`],
  ['console errors in the page', String(consoleErrors.length)],
];
const text = table(['web UI', 'value'], rows);
writeResults('Web UI in headless Chromium (bench/ui)', `${text}\n\nOne hub process (embedded broker, SQLite), one Chromium; the agent is this script publishing over MQTT. Shared, busy machine: figures are indicative.`);
if (consoleErrors.length > 0) process.stderr.write(`console errors:\n${consoleErrors.join('\n')}\n`);
process.exit(lost > 0 || consoleErrors.length > 0 ? 1 : 0);
