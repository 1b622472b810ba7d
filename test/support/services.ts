/**
 * Real services for tests (Debian packages installed by scripts/install-services.sh).
 * In CI (CI=true) a missing service fails the run; elsewhere the tests that need it are
 * skipped with one loud line naming the package to install.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** Absolute path of a command, looking in sbin folders too (mosquitto, snmpd live there). */
export function findCommand(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  if (r.status === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  return SBIN.map((d) => join(d, cmd)).find((p) => existsSync(p));
}

const warned = new Set<string>();

/**
 * True when `cmd` is installed. In CI a missing service throws (the run must fail); on a
 * laptop it prints one loud line and returns false so the caller can `describe.skipIf`.
 */
export function serviceAvailable(cmd: string, debianPackage: string): boolean {
  if (findCommand(cmd) !== undefined) return true;
  const line = `\n!!! ${cmd} not found: tests that need it are SKIPPED. Install it: apt-get install ${debianPackage} (or bash scripts/install-services.sh)\n`;
  if (process.env.CI === 'true') throw new Error(`${cmd} is missing in CI: install ${debianPackage} (scripts/install-services.sh)`);
  if (!warned.has(cmd)) {
    warned.add(cmd);
    process.stderr.write(line);
  }
  return false;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `ledwatch-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface RunningService {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function stopProcess(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Waits until `port` on loopback accepts a connection, failing early when `child` exits. */
export async function waitForPort(port: number, child: ChildProcess, what: string, output: () => string): Promise<void> {
  const { connect } = await import('node:net');
  await waitFor(`${what} on port ${port}`, () => {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${output()}`);
    return new Promise<boolean | undefined>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(undefined));
    });
  });
}

/** A real Mosquitto on a free loopback port, with an optional extra config block. */
export async function startMosquitto(extraConfig = 'allow_anonymous true\n'): Promise<RunningService> {
  const bin = findCommand('mosquitto');
  if (bin === undefined) throw new Error('mosquitto is not installed (apt-get install mosquitto)');
  const { dir, cleanup } = tempDir('mosquitto');
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, `listener ${port} 127.0.0.1\npersistence false\n${extraConfig}`);
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  await waitForPort(port, child, 'mosquitto', () => out);
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    process: child,
    async stop() {
      await stopProcess(child);
      cleanup();
    },
  };
}

/** A self-signed certificate for 127.0.0.1/localhost, made with openssl. */
export function makeTestCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const r = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { cert, key };
}
