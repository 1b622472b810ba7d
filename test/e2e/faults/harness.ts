/**
 * Helpers of the fault tests: the real hub CLI as a process that can be SIGKILLed and
 * started again on the same ports and data dir, real agent processes producing with the
 * `synthetic` driver (its journal is the record of every reading produced), a Mosquitto
 * that restarts on its port, and the exactly-once check: readings per series in InfluxDB
 * against the journal.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { onTestFailed } from 'vitest';
import { stringify } from 'yaml';
import { parseJournal } from '../../../agent/src/drivers/synthetic/journal.js';
import { OUTBOX_FILE } from '../../../agent/src/outbox/outbox.js';
import { type RunningInfluxd, startInfluxd } from '../../support/influxd.js';
import { httpRequest } from '../../support/hub.js';
import { type Spawned, spawnSource } from '../../support/processes.js';
import { findCommand, freePort, stopProcess, tempDir, waitFor, waitForPort } from '../../support/services.js';

export const INFLUX_DB = 'ledwatch';
const INFLUX_RP = 'ledwatch_raw';

/** Resolves after `ms` (only to hold a fault for a while; waiting for a state uses waitFor). */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------- hub

/** How a spawned process ended, or undefined while it runs. */
const exitOf = (p: Spawned): number | NodeJS.Signals | undefined => p.child.exitCode ?? p.child.signalCode ?? undefined;

/** The runs of one restartable process (hub or agent): the current one, SIGKILL and SIGTERM. */
function processRuns() {
  const runs: Spawned[] = [];
  const current = (): Spawned | undefined => runs.at(-1);
  const alive = (p: Spawned | undefined): p is Spawned => p !== undefined && exitOf(p) === undefined;
  return {
    runs,
    current,
    alive,
    async kill(): Promise<void> {
      const p = current();
      if (!alive(p)) return;
      p.child.kill('SIGKILL');
      await p.exited;
    },
    /** SIGTERM and the exit code (null when it never ran). */
    async stop(): Promise<number | null> {
      const p = current();
      if (p === undefined) return null;
      if (exitOf(p) !== undefined) return p.child.exitCode;
      p.child.kill('SIGTERM');
      return (await p.exited).code;
    },
  };
}

export interface HubProcess {
  url: string;
  /** The embedded broker's URL, or the external broker's. */
  mqttUrl: string;
  dataDir: string;
  adminToken: string;
  /** How many times `run` was started. */
  readonly starts: number;
  running(): boolean;
  output(): string;
  start(): Promise<void>;
  /** SIGKILL: no flush, no goodbye. */
  kill(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Value of one Prometheus sample line, e.g. `ledwatch_telemetry_buffered_points{store="influx"}`. */
  metric(sample: string): Promise<number | undefined>;
  provision(name: string): Promise<{ agentId: string; secret: string }>;
  /** Reads the hub's state database beside the running hub (read-only). */
  db<T>(fn: (db: Database.Database) => T): T;
  cleanup(): Promise<void>;
}

export async function createHub(opts: { influxUrl: string; env?: Record<string, string> }): Promise<HubProcess> {
  const work = tempDir('fault-hub');
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const env: Record<string, string> = {
    LEDWATCH_HTTP_HOST: '127.0.0.1',
    LEDWATCH_HTTP_PORT: String(httpPort),
    LEDWATCH_MQTT_HOST: '127.0.0.1',
    LEDWATCH_MQTT_PORT: String(mqttPort),
    LEDWATCH_DATA_DIR: work.dir,
    LEDWATCH_INFLUX_URL: opts.influxUrl,
    LEDWATCH_INFLUX_DATABASE: INFLUX_DB,
    LEDWATCH_LOG_LEVEL: 'info',
    ...opts.env,
  };
  const admin = spawnSource('hub', ['create-admin', '--email', 'admin@example.test'], env);
  const { code } = await admin.exited;
  const adminToken = admin.output().trim().split('\n').pop() ?? '';
  if (code !== 0 || !/^\S{20,}$/.test(adminToken)) throw new Error(`create-admin failed (${code}): ${admin.output()}`);

  const url = `http://127.0.0.1:${httpPort}`;
  const { runs, current, alive, kill, stop } = processRuns();

  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await httpRequest(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let parsed: unknown = res.text;
    try {
      parsed = JSON.parse(res.text);
    } catch {
      /* metrics are text */
    }
    return { status: res.status, body: parsed as T };
  };

  const hub: HubProcess = {
    url,
    mqttUrl: env.LEDWATCH_MQTT_EXTERNAL_URL ?? `mqtt://127.0.0.1:${mqttPort}`,
    dataDir: work.dir,
    adminToken,
    get starts() {
      return runs.length;
    },
    running: () => alive(current()),
    output: () => runs.map((r, i) => `----- hub run ${i + 1}\n${r.output()}`).join('\n'),
    async start() {
      if (alive(current())) throw new Error('the hub is already running');
      const p = spawnSource('hub', ['run'], env);
      runs.push(p);
      // Printed once everything listens (HTTP, MQTT) and ingest is wired.
      await waitFor('the hub to start', () => {
        if (p.child.exitCode !== null || p.child.signalCode !== null) throw new Error(`the hub exited: ${p.output()}`);
        return p.output().includes('ledwatch hub: ') || undefined;
      }, 60_000, 100);
    },
    kill,
    stop,
    api,
    async metric(sample) {
      const res = await api<string>('GET', '/metrics');
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      const line = String(res.body)
        .split('\n')
        .find((l) => l.startsWith(`${sample} `));
      return line === undefined ? undefined : Number(line.slice(sample.length + 1));
    },
    async provision(name) {
      const customer = await api<{ id: string }>('POST', '/api/customers', { name: `Customer of ${name}` });
      const site = await api<{ id: string }>('POST', '/api/sites', { customerId: customer.body.id, name: `Site of ${name}` });
      const agent = await api<{ agentId: string; secret: string }>('POST', '/api/agents', { name, siteId: site.body.id });
      if (agent.status !== 201) throw new Error(`provision ${name}: ${agent.status} ${JSON.stringify(agent.body)}`);
      return agent.body;
    },
    db(fn) {
      const db = new Database(join(work.dir, 'ledwatch.db'), { readonly: true, fileMustExist: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    },
    async cleanup() {
      const p = current();
      if (alive(p)) await stopProcess(p.child, 15_000);
      work.cleanup();
    },
  };
  return hub;
}

/** Highest seq the hub stored for an agent (agents.last_seq), -1 before any. */
export function hubLastSeq(hub: HubProcess, agentId: string): number {
  return hub.db((db) => (db.prepare('select last_seq from agents where id = ?').get(agentId) as { last_seq: number | null } | undefined)?.last_seq ?? -1);
}

// ------------------------------------------------------------------------------- agent

export interface AgentSpec {
  agentId: string;
  secret: string;
  mqttUrl: string;
  readingsPerPoll: number;
  pollIntervalS?: number;
  backfill?: { hours: number; everyS: number };
  outbox?: { replayRatePerS?: number; maxInFlight?: number; ackTimeoutS?: number };
}

export interface AgentProcess {
  agentId: string;
  dataDir: string;
  journal: string;
  readonly starts: number;
  /** Pid of the current run. */
  pid(): number | undefined;
  running(): boolean;
  output(): string;
  start(): void;
  kill(): Promise<void>;
  stop(): Promise<number | null>;
  /** Lines in the journal: readings produced so far. */
  produced(): number;
  cleanup(): Promise<void>;
}

export function createAgent(spec: AgentSpec): AgentProcess {
  const work = tempDir('fault-agent');
  const dataDir = join(work.dir, 'data');
  const journal = join(work.dir, 'load.journal');
  const config = join(work.dir, 'agent.yaml');
  writeFileSync(
    config,
    stringify({
      agentId: spec.agentId,
      secret: spec.secret,
      hub: { url: spec.mqttUrl, keepaliveS: 5, reconnectMinMs: 200, reconnectMaxMs: 1000 },
      dataDir,
      outbox: { replayRatePerS: 200, ackTimeoutS: 5, ...spec.outbox },
      devices: [
        {
          id: 'load',
          kind: 'synthetic',
          pollIntervalS: spec.pollIntervalS ?? 1,
          options: { readingsPerPoll: spec.readingsPerPoll, journal, ...(spec.backfill ? { backfill: spec.backfill } : {}) },
        },
      ],
    }),
  );
  const { runs, current, alive, kill, stop } = processRuns();
  return {
    agentId: spec.agentId,
    dataDir,
    journal,
    get starts() {
      return runs.length;
    },
    pid: () => current()?.child.pid,
    running: () => alive(current()),
    output: () => runs.map((r, i) => `----- agent ${spec.agentId} run ${i + 1}\n${r.output()}`).join('\n'),
    start() {
      if (alive(current())) throw new Error('the agent is already running');
      runs.push(spawnSource('agent', ['run', '--config', config]));
    },
    kill,
    stop,
    produced: () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 1 : 0),
    async cleanup() {
      const p = current();
      if (alive(p)) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
      work.cleanup();
    },
  };
}

/** The journal: reading times per component. */
export function readJournal(agent: AgentProcess): Map<string, number[]> {
  return existsSync(agent.journal) ? parseJournal(readFileSync(agent.journal, 'utf8')) : new Map();
}

export interface OutboxRow {
  seq: number;
  kind: string;
  items: number;
  body: string;
}

/** Rows of an agent's outbox on disk, read beside the running agent ([] before it exists). */
export function outboxRows(file: string, withBody = false): OutboxRow[] {
  if (!existsSync(file)) return [];
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.prepare(`select seq, kind, items, ${withBody ? 'body' : "'' as body"} from outbox order by seq`).all() as OutboxRow[];
  } catch {
    return []; // being created
  } finally {
    db?.close();
  }
}

export const outboxFile = (agent: AgentProcess): string => join(agent.dataDir, OUTBOX_FILE);

// ------------------------------------------------------------------------------- InfluxDB

interface InfluxSeries {
  tags?: Record<string, string>;
  values?: [number, number | null][];
}

async function influxQuery(influxUrl: string, q: string): Promise<InfluxSeries[]> {
  const res = await fetch(`${influxUrl}/query?${new URLSearchParams({ db: INFLUX_DB, epoch: 'ms', q })}`);
  const body = (await res.json()) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
  const err = body.error ?? body.results?.[0]?.error;
  if (err !== undefined) {
    if (/database not found/.test(err)) return []; // nothing written yet
    throw new Error(`InfluxDB query failed: ${err}`);
  }
  return body.results?.[0]?.series ?? [];
}

/** Journal name of a stored series: its component tag, `-` for the device itself. */
const componentOf = (s: InfluxSeries): string => s.tags?.component || '-';

/** Stored readings (points with the synthetic counter `n`) per component of one agent. */
export async function storedCounts(influxUrl: string, agentId: string): Promise<Map<string, number>> {
  const series = await influxQuery(influxUrl, `SELECT count("n") FROM "${INFLUX_RP}"."reading" WHERE "agent" = '${agentId}' GROUP BY "component"`);
  return new Map(series.map((s) => [componentOf(s), Number(s.values?.[0]?.[1] ?? 0)]));
}

export async function storedTotal(influxUrl: string, agentId: string): Promise<number> {
  let total = 0;
  for (const n of (await storedCounts(influxUrl, agentId)).values()) total += n;
  return total;
}

/** Stored reading times per component of one agent. */
export async function storedTimes(influxUrl: string, agentId: string): Promise<Map<string, number[]>> {
  const series = await influxQuery(influxUrl, `SELECT "n" FROM "${INFLUX_RP}"."reading" WHERE "agent" = '${agentId}' GROUP BY "component"`);
  return new Map(series.map((s) => [componentOf(s), (s.values ?? []).map((v) => v[0])]));
}

/** SIGKILLs a test influxd (found by its own config file, so only ours) and waits until it is gone. */
export async function killInfluxd(influx: RunningInfluxd): Promise<void> {
  const r = spawnSync('pgrep', ['-f', join(influx.dataDir, 'influxdb.conf')], { encoding: 'utf8' });
  const pids = r.stdout.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
  if (pids.length !== 1) throw new Error(`expected one influxd of ${influx.dataDir}, found ${pids.length}`);
  process.kill(pids[0] as number, 'SIGKILL');
  await waitFor('influxd to die', () => !influx.running() || undefined, 10_000);
}

// ------------------------------------------------------------------------------- exactly once

export interface Comparison {
  /** Readings in the journal and not stored (beyond those tolerated). */
  missing: number;
  /** Stored readings the journal does not name (a reading stored at a time it was not produced). */
  extra: number;
  /** Readings named twice in the journal (the producer's own fault). */
  journalDuplicates: number;
  firstMissing: string[];
  firstExtra: string[];
}

/**
 * Compares produced (journal) and stored reading times per component. InfluxDB keeps one
 * point per series and time, so a reading stored twice can only show as a time the journal
 * does not name (`extra`), e.g. a replay stored on shifted time. `tolerate` names missing
 * readings that may be missing (produced just before a SIGKILL, never in the outbox).
 */
export function compare(
  produced: Map<string, number[]>,
  stored: Map<string, number[]>,
  tolerate: (component: string, at: number) => boolean = () => false,
): Comparison & { tolerated: number } {
  const out = { missing: 0, extra: 0, journalDuplicates: 0, tolerated: 0, firstMissing: [] as string[], firstExtra: [] as string[] };
  for (const component of new Set([...produced.keys(), ...stored.keys()])) {
    const want = produced.get(component) ?? [];
    const wantSet = new Set(want);
    out.journalDuplicates += want.length - wantSet.size;
    const have = new Set(stored.get(component) ?? []);
    for (const at of wantSet) {
      if (have.has(at)) continue;
      if (tolerate(component, at)) {
        out.tolerated++;
        continue;
      }
      out.missing++;
      if (out.firstMissing.length < 5) out.firstMissing.push(`${component}@${new Date(at).toISOString()}`);
    }
    for (const at of have) {
      if (wantSet.has(at)) continue;
      out.extra++;
      if (out.firstExtra.length < 5) out.firstExtra.push(`${component}@${new Date(at).toISOString()}`);
    }
  }
  return out;
}

export const EXACTLY_ONCE: Comparison & { tolerated: number } = { missing: 0, extra: 0, journalDuplicates: 0, tolerated: 0, firstMissing: [], firstExtra: [] };

/**
 * Polls `fn` until `done` holds for its value or `timeoutMs` passes, and returns the last
 * value either way, so the caller's expect shows what was wrong.
 */
export async function settle<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (done(v) || Date.now() > deadline) return v;
    await pause(everyMs);
  }
}

/** The comparison once the stored readings stop changing for the better (or `timeoutMs`). */
export function settledComparison(
  influxUrl: string,
  agentId: string,
  produced: Map<string, number[]>,
  tolerate?: (component: string, at: number) => boolean,
  timeoutMs = 30_000,
): Promise<Comparison & { tolerated: number }> {
  return settle(async () => compare(produced, await storedTimes(influxUrl, agentId), tolerate), (r) => r.missing === 0, timeoutMs);
}

/** Per-component counts of a journal. */
export function countsOf(times: Map<string, number[]>): Map<string, number> {
  return new Map([...times].map(([c, t]) => [c, t.length]));
}

/** Prints the tails of the processes' logs when the calling test fails. */
export function dumpLogsOnFailure(sources: Record<string, () => string>): void {
  onTestFailed(() => {
    for (const [name, output] of Object.entries(sources)) {
      const text = output();
      process.stderr.write(`\n===== ${name} (last 6000 characters)\n${text.slice(-6000)}\n`);
    }
  });
}

// ------------------------------------------------------------------------------- Mosquitto

export interface RestartableMosquitto {
  url: string;
  port: number;
  running(): boolean;
  output(): string;
  start(): Promise<void>;
  /** SIGKILL (a crash) or SIGTERM (a clean restart: with persistence, sessions are saved). */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * A Mosquitto on a fixed loopback port (anonymous) that can be killed and started again.
 * `persistent`: sessions, subscriptions and queued messages are saved (on a clean stop) in
 * the temp dir and restored at start, as a production broker would be configured.
 */
export async function createMosquitto(opts: { persistent?: boolean } = {}): Promise<RestartableMosquitto> {
  const bin = findCommand('mosquitto');
  if (bin === undefined) throw new Error('mosquitto is not installed (apt-get install mosquitto)');
  const work = tempDir('fault-mosquitto');
  const port = await freePort();
  const conf = join(work.dir, 'mosquitto.conf');
  chmodSync(work.dir, 0o777); // started as root, mosquitto drops to its own user before saving
  const persistence = opts.persistent === true ? `persistence true\npersistence_location ${work.dir}/\n` : 'persistence false\n';
  writeFileSync(conf, `listener ${port} 127.0.0.1\n${persistence}allow_anonymous true\nmax_inflight_messages 1000\nmax_queued_messages 0\n`);
  let child: ChildProcess | undefined;
  let out = '';
  const alive = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    running: alive,
    output: () => out,
    async start() {
      const proc = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      await waitForPort(port, proc, 'mosquitto', () => out);
    },
    async kill(signal = 'SIGKILL') {
      const proc = child;
      if (proc === undefined || !alive()) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await exited;
    },
    async cleanup() {
      if (child !== undefined) await stopProcess(child);
      work.cleanup();
    },
  };
}

// ------------------------------------------------------------------------------- a site

export interface FaultSite {
  influx: RunningInfluxd;
  hub: HubProcess;
  agent: AgentProcess;
  /** Stops the agent, the hub and influxd and removes their folders. */
  cleanup(): Promise<void>;
}

/**
 * The usual cast of a fault test: a real influxd, a hub process storing into it and one
 * provisioned agent process (created, not started). With `uplinkDown` the hub is stopped
 * again after provisioning, so the agent starts with its uplink down and fills its outbox.
 */
export async function createFaultSite(
  name: string,
  agent: Omit<AgentSpec, 'agentId' | 'secret' | 'mqttUrl'>,
  opts: { uplinkDown?: boolean } = {},
): Promise<FaultSite> {
  const influx = await startInfluxd();
  const hub = await createHub({ influxUrl: influx.url });
  await hub.start();
  const creds = await hub.provision(name);
  if (opts.uplinkDown === true && (await hub.stop()) !== 0) throw new Error('the hub did not stop cleanly');
  const proc = createAgent({ ...creds, mqttUrl: hub.mqttUrl, ...agent });
  return {
    influx,
    hub,
    agent: proc,
    async cleanup() {
      await proc.cleanup();
      await hub.cleanup();
      await influx.stop();
    },
  };
}
