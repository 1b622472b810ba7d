#!/usr/bin/env node
// Agent polling cost: one real agent process (built dist) polling a simulated site of
// 2 NovaStar controllers × 2 ports × 40 receiving cards, 5 Modbus devices and 2 SNMP UPSes
// every 10 s, publishing to a real hub. Prints the agent's CPU (% of one core) and RSS over
// the run, and what reached the hub. Target: < 3 % CPU and < 120 MB RSS.
//   node bench/agent-poll/run.mjs [--duration-s 300] [--interval-s 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ROOT, build, cpuSeconds, rssMb, table, writeResults } from '../lib/results.mjs';

const { values } = parseArgs({ options: { 'duration-s': { type: 'string', default: '300' }, 'interval-s': { type: 'string', default: '10' } } });
const durationS = Number(values['duration-s']);
const intervalS = Number(values['interval-s']);

build();
const { loadHubConfig, startHub, createAdmin } = await import(`${ROOT}hub/dist/index.js`);
const { startSite, resolveSiteConfig } = await import(`${ROOT}agent/dist/index.js`);

const dir = mkdtempSync(join(tmpdir(), 'ledwatch-bench-agent-'));
const hub = await startHub(
  loadHubConfig({ env: { LEDWATCH_LOG_LEVEL: 'warn' }, overrides: { http: { host: '127.0.0.1', port: 0 }, mqtt: { host: '127.0.0.1', port: 0 }, data: { dir: join(dir, 'hub') } } }),
);
const { token } = await createAdmin(hub.ctx.state, { email: 'bench@example.test' });
const api = async (method, path, body) => {
  const res = await fetch(`${hub.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
};
const customer = await api('POST', '/api/customers', { name: 'Bench' });
const hubSite = await api('POST', '/api/sites', { customerId: customer.id, name: 'Bench site' });
const { agentId, secret } = await api('POST', '/api/agents', { name: 'bench-agent', siteId: hubSite.id });

const site = await startSite(
  resolveSiteConfig({
    controllers: [
      { id: 'ctrl-1', ports: 2, cardsPerPort: 40 },
      { id: 'ctrl-2', ports: 2, cardsPerPort: 40 },
    ],
    modbus: [
      { id: 'psu-1', profile: 'led-psu-generic' },
      { id: 'psu-2', profile: 'led-psu-generic' },
      { id: 'psu-3', profile: 'led-psu-generic' },
      { id: 'sensor-1', profile: 'xy-md02' },
      { id: 'sensor-2', profile: 'xy-md02' },
    ],
    ups: [{ id: 'ups-1' }, { id: 'ups-2' }],
    pollIntervalS: intervalS,
  }),
);
const agentYaml = join(dir, 'agent.yaml');
writeFileSync(agentYaml, stringify({ agentId, secret, hub: { url: hub.mqttUrl }, dataDir: join(dir, 'agent'), devices: site.devices }));
const agent = spawn(process.execPath, [`${ROOT}agent/dist/cli.js`, 'run', '--config', agentYaml, '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const readings = async () => Number((await hub.ctx.metrics.readingsAccepted.get()).values[0]?.value ?? 0);
const warmupS = Math.min(30, Math.max(intervalS * 2, 15));
process.stdout.write(`agent ${agentId} polling ${site.devices.length} devices; warming up ${warmupS} s, then measuring ${durationS} s\n`);
await sleep(warmupS * 1000);

const r0 = await readings();
const c0 = cpuSeconds(agent.pid);
const t0 = Date.now();
const rss = [];
while (Date.now() - t0 < durationS * 1000) {
  rss.push(rssMb(agent.pid));
  await sleep(5000);
}
const c1 = cpuSeconds(agent.pid);
const t1 = Date.now();
const r1 = await readings();
rss.push(rssMb(agent.pid));

const elapsedS = (t1 - t0) / 1000;
const cpuPct = ((c1 - c0) / elapsedS) * 100;
const devicesRow = await hub.ctx.state.sqlite.prepare('select count(*) n from devices where agent_id = ?').get(agentId);
const stored = r1 - r0;
const expected = (devicesRow.n * elapsedS) / intervalS;
const rows = [
  ['devices polled (incl. 160 cards)', String(devicesRow.n)],
  ['poll interval', `${intervalS} s`],
  ['measured for', `${elapsedS.toFixed(0)} s`],
  ['readings stored at the hub', `${stored} (${(stored / elapsedS).toFixed(1)}/s; ~${expected.toFixed(0)} expected)`],
  ['agent CPU, % of one core', `${cpuPct.toFixed(2)} % (target < 3 %)`],
  ['agent RSS, max / last', `${Math.max(...rss).toFixed(0)} / ${rss.at(-1).toFixed(0)} MB (target < 120 MB)`],
  ['CPU per reading', `${(((c1 - c0) / Math.max(1, stored)) * 1e6).toFixed(0)} µs`],
];
const text = table(['agent polling a site', 'value'], rows);
writeResults('Agent polling a simulated site (bench/agent-poll)', text);

agent.kill('SIGTERM');
await new Promise((r) => agent.once('exit', r));
await site.close();
await hub.close();
rmSync(dir, { recursive: true, force: true });
