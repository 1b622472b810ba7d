// Real services for the bench scripts, ported from test/support (services.ts, influxd.ts) so
// the benches run on plain `node`: influxd 1.x and Mosquitto on free loopback ports, each in
// a temp dir of its own, plus the few InfluxDB HTTP calls the benches need.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Absolute path of a command, looking in sbin folders too (mosquitto lives there). */
export function findCommand(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  return ['/usr/sbin', '/usr/local/sbin', '/sbin'].map((d) => join(d, cmd)).find((p) => existsSync(p));
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `ledwatch-bench-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(what, fn, timeoutMs = 15_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the process has exited. */
export async function stopProcess(child, timeoutMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function waitForPort(port, child, what, output) {
  return waitFor(`${what} on port ${port}`, () => {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${output()}`);
    return new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(undefined));
    });
  });
}

/**
 * A real influxd 1.x: our config only, data in a temp dir, no reporting, no _internal store.
 * `data` adds lines to the [data] section (e.g. `cache-snapshot-memory-size = "256m"`).
 */
export async function startInfluxd({ data = [] } = {}) {
  const bin = findCommand('influxd');
  if (bin === undefined) throw new Error('influxd is not installed (apt-get install influxdb)');
  const { dir, cleanup } = tempDir('influxd');
  const port = await freePort();
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(
    conf,
    `reporting-disabled = true
bind-address = "127.0.0.1:${await freePort()}"
[meta]
  dir = "${join(dir, 'meta')}"
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
${data.map((l) => `  ${l}\n`).join('')}[http]
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
`,
  );
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  const child = spawn(bin, ['-config', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  await waitFor(`influxd on port ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(`influxd exited with ${child.exitCode}: ${out}`);
    const res = await fetch(`${url}/ping`).catch(() => undefined);
    return res?.status === 204 ? true : undefined;
  });
  return {
    url,
    port,
    process: child,
    output: () => out,
    async stop() {
      await stopProcess(child);
      cleanup();
    },
  };
}

/** A real Mosquitto on a free loopback port with `extraConfig` appended to its config. */
export async function startMosquitto(extraConfig = '') {
  const bin = findCommand('mosquitto');
  if (bin === undefined) throw new Error('mosquitto is not installed (apt-get install mosquitto)');
  const { dir, cleanup } = tempDir('mosquitto');
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\npersistence false\nallow_anonymous true\n${extraConfig}`);
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  await waitForPort(port, child, 'mosquitto', () => out);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    process: child,
    output: () => out,
    async stop() {
      await stopProcess(child);
      cleanup();
    },
  };
}

/** An InfluxQL statement over /query (POST for statements that change things); returns `results`. */
export async function influxQuery(url, q, { db, post = false } = {}) {
  const params = new URLSearchParams({ q, epoch: 'ms' });
  if (db !== undefined) params.set('db', db);
  const res = await fetch(`${url}/query?${params}`, { method: post ? 'POST' : 'GET' });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`InfluxDB ${res.status}: ${JSON.stringify(body)}`);
  const err = body.results?.find((r) => r.error !== undefined);
  if (err) throw new Error(`InfluxQL: ${err.error} (${q})`);
  return body.results ?? [];
}

/** Points accepted by influxd's /write since it started (expvar httpd.pointsWrittenOK). */
export async function influxPointsWritten(url) {
  const res = await fetch(`${url}/debug/vars`);
  const vars = await res.json();
  const httpd = Object.values(vars).find((v) => v?.name === 'httpd');
  return Number(httpd?.values?.pointsWrittenOK ?? 0);
}
