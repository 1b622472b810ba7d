#!/usr/bin/env node
// Artifact delivery: a hub (own process) serving one 50 MB release artifact to 200 agents
// downloading at once over HTTP with their Basic credentials. Prints throughput, time to
// first byte and download time percentiles, the hub's CPU and its peak RSS (target: RSS
// stays bounded, < 300 MB — artifacts are streamed from disk, never held in memory), and
// checks what arrived: every byte count, and the SHA-256 of a sample of the downloads.
//   node bench/artifacts/run.mjs [--clients 200] [--mb 50]
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROOT, build, cpuSeconds, percentile, rssMb, table, writeResults } from '../lib/results.mjs';

const { values } = parseArgs({ options: { clients: { type: 'string', default: '200' }, mb: { type: 'string', default: '50' } } });
const clients = Number(values.clients);
const mb = Number(values.mb);

build();
const { generateReleaseKeyPair, signManifest } = await import(`${ROOT}protocols/dist/index.js`);

const dir = mkdtempSync(join(tmpdir(), 'ledwatch-bench-artifacts-'));
const artifact = join(dir, 'artifact.bin');
const hash = createHash('sha256');
{
  const chunk = randomBytes(1024 * 1024);
  const parts = [];
  for (let i = 0; i < mb; i++) {
    const c = Buffer.from(chunk);
    c.writeUInt32BE(i, 0);
    hash.update(c);
    parts.push(c);
  }
  writeFileSync(artifact, Buffer.concat(parts));
}
const sha256 = hash.digest('hex');
const size = statSync(artifact).size;

const hubProc = spawn(process.execPath, [join(ROOT, 'bench/artifacts/hub.mjs'), join(dir, 'hub')], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url, token } = JSON.parse(await new Promise((resolve) => createInterface({ input: hubProc.stdout }).once('line', resolve)));
const api = async (method, path, body) => {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

const key = generateReleaseKeyPair();
await api('POST', '/api/keys', { publicKey: key.publicKey });
const manifest = {
  schema: 1, kind: 'site-package', name: 'bench-blob', version: '1.0.0',
  artifact: { sha256, size }, compatibility: {}, install: [{ type: 'extract' }], healthCheck: { windowS: 60 }, createdAt: Date.now(),
};
const release = await api('POST', '/api/releases', { signed: signManifest(manifest, key.privateKeyPem) });
await new Promise((resolve, reject) => {
  const req = request(`${url}/api/releases/${release.id}/artifact`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': size } }, (res) => {
    res.resume();
    res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`upload: ${res.statusCode}`))));
  });
  req.on('error', reject);
  createReadStream(artifact).pipe(req);
});
const customer = await api('POST', '/api/customers', { name: 'Bench' });
const site = await api('POST', '/api/sites', { customerId: customer.id, name: 'Bench site' });
const { agentId, secret } = await api('POST', '/api/agents', { name: 'bench-agent', siteId: site.id });
const auth = `Basic ${Buffer.from(`${agentId}:${secret}`).toString('base64')}`;

let peakRss = rssMb(hubProc.pid);
const rssBefore = peakRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(hubProc.pid))), 50);
const cpuBefore = cpuSeconds(hubProc.pid);
const httpAgent = new Agent({ keepAlive: false, maxSockets: clients });
const HASHED = 5;

function downloadOne(i) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ttfb = 0;
    let bytes = 0;
    const h = i < HASHED ? createHash('sha256') : undefined;
    const req = request(`${url}/api/releases/${release.id}/artifact`, { agent: httpAgent, headers: { authorization: auth } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`download ${i}: ${res.statusCode}`));
      res.on('data', (c) => {
        if (bytes === 0) ttfb = performance.now() - t0;
        bytes += c.length;
        h?.update(c);
      });
      res.on('end', () => resolve({ bytes, ttfb, ms: performance.now() - t0, sha: h?.digest('hex') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const t0 = performance.now();
const results = await Promise.all(Array.from({ length: clients }, (_, i) => downloadOne(i)));
const wallS = (performance.now() - t0) / 1000;
clearInterval(sampler);
const hubCpu = cpuSeconds(hubProc.pid) - cpuBefore;
hubProc.kill('SIGTERM');
await new Promise((r) => hubProc.once('exit', r));
rmSync(dir, { recursive: true, force: true });

const complete = results.filter((r) => r.bytes === size).length;
const hashedOk = results.filter((r) => r.sha !== undefined && r.sha === sha256).length;
const total = results.reduce((s, r) => s + r.bytes, 0);
const ttfb = results.map((r) => r.ttfb).sort((a, b) => a - b);
const times = results.map((r) => r.ms / 1000).sort((a, b) => a - b);
const text = table(
  ['clients', 'artifact', 'complete downloads', 'SHA-256 checked', 'wall', 'throughput', 'TTFB p50 / p99', 'download p50 / p99', 'hub CPU', 'hub RSS before / peak'],
  [[
    String(clients), `${mb} MB`, `${complete} / ${clients}`, `${hashedOk} / ${Math.min(HASHED, clients)} ok`, `${wallS.toFixed(1)} s`,
    `${(total / 2 ** 20 / wallS).toFixed(0)} MB/s (${((total * 8) / 1e9 / wallS).toFixed(2)} Gbit/s)`,
    `${percentile(ttfb, 50).toFixed(0)} / ${percentile(ttfb, 99).toFixed(0)} ms`,
    `${percentile(times, 50).toFixed(1)} / ${percentile(times, 99).toFixed(1)} s`,
    `${hubCpu.toFixed(1)} s (${((hubCpu / wallS) * 100).toFixed(0)} % of one core)`,
    `${rssBefore.toFixed(0)} / ${peakRss.toFixed(0)} MB`,
  ]],
);
const ok = complete === clients && hashedOk === Math.min(HASHED, clients) && peakRss < 300;
writeResults(
  'Artifact delivery: one 50 MB release to 200 concurrent downloaders (bench/artifacts)',
  `${text}\n\nTarget: every download complete and the hub's RSS bounded (< 300 MB). ${ok ? 'Met.' : 'NOT met.'} Loopback HTTP, no TLS; downloader and hub share the machine, which other jobs were also using.`,
);
process.exit(ok ? 0 : 1);
