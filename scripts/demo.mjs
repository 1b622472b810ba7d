#!/usr/bin/env node
// `npm start`: builds the project, starts the hub on embedded defaults (SQLite in ./data,
// embedded MQTT broker) and a demo agent provisioned automatically, then prints the
// dashboard URL and an admin token (also written to .ledwatch/demo.json).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
// Demo state lives under ./data and ./.ledwatch; LEDWATCH_DEMO_ROOT moves both (tests use it).
const stateRoot = process.env.LEDWATCH_DEMO_ROOT ?? root;
const stateDir = join(stateRoot, '.ledwatch');
const dataDir = join(stateRoot, 'data');
// The [demo] lines below say what matters; hub and agent logs only warnings unless asked.
process.env.LEDWATCH_LOG_LEVEL ??= 'warn';
const say = (line) => process.stdout.write(`[demo] ${line}\n`);

say('building (tsc -b)…');
const build = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  process.stderr.write('[demo] build failed; see the errors above\n');
  process.exit(1);
}

const { loadHubConfig, startHub, createAdmin, PortInUseError } = await import('../hub/dist/index.js');
const { startSite, resolveSiteConfig, rotateFaults } = await import('../agent/dist/index.js');
const { ConfigError } = await import('../protocols/dist/index.js');

let hub;
try {
  const config = loadHubConfig({ env: process.env, overrides: { data: { dir: dataDir } } });
  hub = await startHub(config);
} catch (err) {
  if (err instanceof PortInUseError || err instanceof ConfigError) {
    process.stderr.write(`[demo] cannot start: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const { token: adminToken } = await createAdmin(hub.ctx.state, { email: 'admin@ledwatch.local', name: 'Demo admin' });
const api = async (method, path, body) => {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

// The demo site: two NovaStar controllers, an LED power supply, a cabinet sensor and a UPS,
// simulated on loopback. A fault every few minutes (the first within 2 minutes: a receiving
// card going missing), each cleared a while later.
const siteConfig = resolveSiteConfig({
  controllers: [
    { id: 'ctrl-1', ports: 2, cardsPerPort: 8 },
    { id: 'ctrl-2', ports: 2, cardsPerPort: 4 },
  ],
  modbus: [
    { id: 'psu-1', profile: 'led-psu-generic' },
    { id: 'cabinet-sensor', profile: 'xy-md02' },
  ],
  ups: [{ id: 'ups-1' }],
  pollIntervalS: 5,
  faults: { rotate: true, firstAfterS: 60, everyS: 150, holdS: 75 },
});
const site = await startSite(siteConfig);
const describeFault = (f) => `${f.device} ${f.fault.kind}${f.fault.port !== undefined ? ` (port ${f.fault.port}${f.fault.card !== undefined ? `, card ${f.fault.card}` : ''})` : ''}`;
const rotation = rotateFaults(site, siteConfig, (f, on) => say(`${on ? 'fault injected' : 'fault cleared'}: ${describeFault(f)}`));
const devices = [{ id: 'host', kind: 'host', pollIntervalS: 10 }, ...site.devices];

// Demo customer, site and agent: created once, reused on later starts.
mkdirSync(stateDir, { recursive: true });
const agentConfigPath = join(stateDir, 'agent.yaml');
const known = existsSync(agentConfigPath) ? /agentId: (\S+)/.exec(readFileSync(agentConfigPath, 'utf8'))?.[1] : undefined;
const agents = (await api('GET', '/api/agents')).items;
if (!known || !agents.some((a) => a.id === known)) {
  const customers = (await api('GET', '/api/customers')).items;
  const customer = customers.find((c) => c.name === 'Demo Customer') ?? (await api('POST', '/api/customers', { name: 'Demo Customer' }));
  const sites = (await api('GET', `/api/sites?customerId=${customer.id}`)).items;
  const hubSite = sites.find((s) => s.name === 'Demo Plaza LED wall') ?? (await api('POST', '/api/sites', { customerId: customer.id, name: 'Demo Plaza LED wall' }));
  const { agentId, secret } = await api('POST', '/api/agents', { name: 'demo-site-pc', siteId: hubSite.id });
  writeFileSync(
    agentConfigPath,
    [
      '# Demo agent, provisioned by npm start. The secret is shown once by the hub and kept only here.',
      `agentId: ${agentId}`,
      `secret: ${secret}`,
      'hub:',
      `  url: ${hub.mqttUrl}`,
      `dataDir: ${join(stateDir, 'agent-data')}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  say(`provisioned demo agent ${agentId}`);
}
// Ports of the broker and the simulators change from run to run: rewrite them each start,
// and forget a config pushed in an earlier run (it names that run's ports).
rmSync(join(stateDir, 'agent-data', 'remote-config.json'), { force: true });
const kept = readFileSync(agentConfigPath, 'utf8').split('\n').filter((l) => /^(#|agentId:|secret:|dataDir:)/.test(l));
writeFileSync(agentConfigPath, `${[...kept, 'hub:', `  url: ${hub.mqttUrl}`].join('\n')}\n${stringify({ devices })}`, { mode: 0o600 });

const agent = spawn(process.execPath, [join(root, 'agent/dist/cli.js'), 'run', '--config', agentConfigPath], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'pipe'],
  env: { ...process.env, LEDWATCH_AGENT_LOG_LEVEL: process.env.LEDWATCH_AGENT_LOG_LEVEL ?? 'warn' },
});
agent.stderr.on('data', (d) => process.stderr.write(d));

const demo = { url: hub.url, mqttUrl: hub.mqttUrl, adminToken };
writeFileSync(join(stateDir, 'demo.json'), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
say(`dashboard:   ${hub.url}/`);
say(`API docs:    ${hub.url}/api/docs`);
say(`MQTT broker: ${hub.mqttUrl}`);
say(`admin token: ${adminToken}`);
say(`simulated site: ${site.devices.map((d) => d.id).join(', ')}; first fault in ${siteConfig.faults.firstAfterS} s`);
say('(also in .ledwatch/demo.json) — press Ctrl+C to stop');

// One inspection of the demo site shortly after start, so there is a report to open.
const inspectionTimer = setTimeout(async () => {
  try {
    const agentId = /agentId: (\S+)/.exec(readFileSync(agentConfigPath, 'utf8'))?.[1];
    const siteId = (await api('GET', '/api/agents')).items.find((a) => a.id === agentId)?.siteId;
    if (!siteId) return;
    await api('POST', `/api/sites/${siteId}/inspections`);
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      const [latest] = (await api('GET', `/api/inspections?siteId=${siteId}&limit=1`)).items;
      if (latest?.reportId) {
        say(`inspection report: ${hub.url}/api/reports/${latest.reportId}/html (PDF: …/pdf) — ${latest.summary?.fail ?? 0} failed, ${latest.summary?.warn ?? 0} warnings`);
        return;
      }
    }
  } catch (err) {
    say(`demo inspection not run: ${err.message}`);
  }
}, Number(process.env.LEDWATCH_DEMO_INSPECT_AFTER_S ?? 20) * 1000);
inspectionTimer.unref();

let stopping = false;
const stop = async (signal) => {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping agent and hub…`);
  if (agent.exitCode === null) {
    const exited = new Promise((r) => agent.once('exit', r));
    agent.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
  clearTimeout(inspectionTimer);
  rotation.stop();
  await site.close();
  await hub.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
agent.on('exit', (code, signal) => {
  if (!stopping) say(`demo agent exited (${code ?? signal}); the hub keeps running`);
});
