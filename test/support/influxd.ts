/**
 * A real InfluxDB 1.x `influxd` (Debian package influxdb) for tests, on free loopback
 * ports with everything in a temp dir: our config file only, meta/data/wal inside the dir,
 * no usage reporting, no _internal monitor database. kill() + restart() simulate an outage
 * (same port, same data); stop() ends it and removes the dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCommand, freePort, stopProcess, tempDir, waitFor } from './services.js';

export interface RunningInfluxd {
  url: string;
  port: number;
  dataDir: string;
  output(): string;
  running(): boolean;
  /** Process id of the running influxd (for CPU/RSS sampling in benches). */
  pid(): number | undefined;
  /** Stops the process, keeping its data and port for restart(). */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the process and removes its temp dir. */
  stop(): Promise<void>;
}

export interface InfluxdOptions {
  /** Extra lines for the [data] section, e.g. `index-version = "tsi1"`. */
  data?: readonly string[];
  /** Environment of the influxd process on top of ours, e.g. `{ GOGC: '400' }`. */
  env?: Readonly<Record<string, string>>;
}

function config(dir: string, httpPort: number, rpcPort: number, data: readonly string[]): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
${data.map((l) => `  ${l}\n`).join('')}
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false

[logging]
  level = "warn"
`;
}

export async function startInfluxd(opts: InfluxdOptions = {}): Promise<RunningInfluxd> {
  const bin = findCommand('influxd');
  if (bin === undefined) throw new Error('influxd is not installed (apt-get install influxdb)');
  const { dir, cleanup } = tempDir('influxd');
  const port = await freePort();
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(conf, config(dir, port, await freePort(), opts.data ?? []));
  const url = `http://127.0.0.1:${port}`;
  let out = '';
  let child: ChildProcess | undefined;

  const launch = async () => {
    const proc = spawn(bin, ['-config', conf], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    child = proc;
    proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(`influxd on port ${port}`, async () => {
      if (proc.exitCode !== null) throw new Error(`influxd exited with ${proc.exitCode}: ${out}`);
      const res = await fetch(`${url}/ping`).catch(() => undefined);
      return res?.status === 204 ? true : undefined;
    });
  };
  const kill = async () => {
    if (child !== undefined) await stopProcess(child);
  };

  await launch();
  return {
    url,
    port,
    dataDir: dir,
    output: () => out,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    pid: () => child?.pid,
    kill,
    restart: launch,
    async stop() {
      await kill();
      cleanup();
    },
  };
}
