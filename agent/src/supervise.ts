/**
 * `ledwatch-agent supervise`: the small, long-lived parent a systemd unit runs. It starts
 * the agent version `<root>/current` points to and restarts it when it exits (at once for
 * exit code 75, the hand-over after an upgrade; with back-off otherwise). While an upgrade
 * is on trial (`pending.json`) it waits for the new version's health mark — written when
 * it has connected to the hub — until the manifest's health window ends; if the new
 * version exits first or the window passes, it switches `current` back, restarts the old
 * version and reports `rolled-back`; otherwise it reports `healthy`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CmdResultPayload } from '@ledwatch/protocols';
import type { AgentConfig } from './config.js';
import { errorMessage } from './errors.js';
import type { Logger } from './log.js';
import { clearPending, healthFile, pointer, pruneVersions, readHealth, readPending, ROOT_ENV, setPointer, type PendingUpgrade } from './updater/layout.js';
import { postResult, type Credentials } from './updater/report.js';

export const RESTART_EXIT_CODE = 75;

export interface SuperviseOptions {
  configFile: string;
  config: AgentConfig;
  root: string;
  logLevel: string;
  log: Logger;
  env: Record<string, string | undefined>;
  /** How often the health mark is looked at (ms). */
  pollMs?: number;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export async function supervise(o: SuperviseOptions): Promise<number> {
  const { log, root } = o;
  const creds: Credentials = {
    agentId: o.config.agentId,
    secret: o.config.secret,
    ca: o.config.hub.ca === undefined ? undefined : readFileSync(o.config.hub.ca),
    rejectUnauthorized: o.config.hub.rejectUnauthorized,
  };
  let child: ChildProcess | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'supervisor stopping');
    stopping = true;
    child?.kill('SIGTERM');
    wake?.();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let backoffMs = 1000;
  try {
    while (!stopping) {
      const version = await pointer(root, 'current');
      if (version === undefined) {
        log.fatal({ root }, `no ${join(root, 'current')} link; install a first version with agent/deploy/install.sh`);
        return 1;
      }
      let pending = await readPending(root);
      if (pending !== undefined && pending.to !== version) {
        await finish(root, pending, creds, log, 'failed', 'failed', { code: 'install-failed', message: `current points to ${version}, not ${pending.to}` });
        pending = undefined;
      }
      if (pending !== undefined) await rm(healthFile(root), { force: true });
      const startedAt = Date.now();
      const spawned = start(o, version);
      child = spawned.child;
      log.info({ version, pid: child.pid, trial: pending !== undefined }, 'agent started');
      let exit: Exit;
      if (pending !== undefined) {
        const verdict = await watchTrial(pending, spawned, root, o.pollMs ?? 250);
        if (stopping) {
          // Stopped during the trial: no verdict; the next start resumes it (same deadline).
          await spawned.exited;
          break;
        }
        if (verdict.kind === 'healthy') {
          log.info({ version }, 'new version is healthy');
          await finish(root, pending, creds, log, 'succeeded', 'healthy', undefined, { version, from: pending.from });
          const removed = await pruneVersions(root, [version, pending.from]).catch(() => []);
          if (removed.length > 0) log.info({ removed }, 'removed old versions');
          exit = await spawned.exited;
        } else {
          if (verdict.kind === 'timeout') {
            spawned.child.kill('SIGTERM');
            const killer = setTimeout(() => spawned.child.kill('SIGKILL'), 10_000);
            await spawned.exited;
            clearTimeout(killer);
          }
          const why =
            verdict.kind === 'exited'
              ? { code: 'crashed-at-start', message: `${pending.to} exited (${verdict.exit.code ?? verdict.exit.signal ?? '?'}) before it reached the hub; back on ${pending.from}` }
              : { code: 'health-timeout', message: `${pending.to} did not reach the hub within ${pending.windowS} s; back on ${pending.from}` };
          log.error({ from: pending.to, to: pending.from, ...why }, 'rolling back');
          await setPointer(root, 'current', pending.from);
          await finish(root, pending, creds, log, 'failed', 'rolled-back', why);
          continue;
        }
      } else exit = await spawned.exited;
      child = undefined;
      if (stopping) break;
      if (exit.code === RESTART_EXIT_CODE) {
        backoffMs = 1000;
        continue;
      }
      if (Date.now() - startedAt > 60_000) backoffMs = 1000;
      log.warn({ version, ...exit, retryInMs: backoffMs }, 'agent exited; restarting');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, backoffMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      backoffMs = Math.min(backoffMs * 2, 30_000);
    }
    return 0;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

function start(o: SuperviseOptions, version: string): { child: ChildProcess; exited: Promise<Exit> } {
  const bin = join(o.root, 'versions', version, 'bin', 'ledwatch-agent.js');
  const child = spawn(process.execPath, [bin, 'run', '--config', o.configFile, '--log-level', o.logLevel], {
    env: { ...o.env, [ROOT_ENV]: o.root },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: 127, signal: null }));
  });
  return { child, exited };
}

type Verdict = { kind: 'healthy' } | { kind: 'exited'; exit: Exit } | { kind: 'timeout' };

async function watchTrial(p: PendingUpgrade, s: { child: ChildProcess; exited: Promise<Exit> }, root: string, pollMs: number): Promise<Verdict> {
  let exit: Exit | undefined;
  void s.exited.then((e) => (exit = e));
  for (;;) {
    if (exit !== undefined) return { kind: 'exited', exit };
    const mark = await readHealth(root);
    if (mark !== undefined && mark.pid === s.child.pid && mark.version === p.to) return { kind: 'healthy' };
    if (Date.now() > p.deadline) return { kind: 'timeout' };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function finish(
  root: string,
  p: PendingUpgrade,
  creds: Credentials,
  log: Logger,
  state: CmdResultPayload['state'],
  stage: 'healthy' | 'failed' | 'rolled-back',
  error?: { code: string; message: string },
  result?: Record<string, unknown>,
): Promise<void> {
  await clearPending(root);
  try {
    await postResult(p.reportUrl, creds, { id: p.cmdId, type: 'upgrade', state, stage, at: Date.now(), ...(error ? { error } : {}), ...(result ? { result } : {}) });
  } catch (err) {
    log.warn({ cmdId: p.cmdId, stage, err: errorMessage(err) }, 'could not report the upgrade outcome');
  }
}
