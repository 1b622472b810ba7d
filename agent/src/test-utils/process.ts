/** Spawns the real agent CLI (TypeScript sources through tsx) and tracks it for cleanup. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const CLI_SOURCE = fileURLToPath(new URL('../cli.ts', import.meta.url));
export const LAUNCHER = fileURLToPath(new URL('../../bin/ledwatch-agent.js', import.meta.url));

export interface AgentProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

const live = new Set<ChildProcess>();

export function spawnNode(args: string[], env: Record<string, string> = {}): AgentProcess {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = (once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>).then(([code, signal]) => {
    live.delete(child);
    return code ?? signal ?? -1;
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `node --conditions=source --import tsx agent/src/cli.ts …` */
export function spawnCli(args: string[], env: Record<string, string> = {}): AgentProcess {
  return spawnNode(['--conditions=source', '--import', 'tsx', CLI_SOURCE, ...args], env);
}

/** SIGKILLs every process spawned here that is still running. */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...live].map(async (child) => {
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    }),
  );
}

export async function writeAgentYaml(dir: string, url: string, agentId: string, secret: string): Promise<string> {
  const file = join(dir, 'agent.yaml');
  const yaml = [
    `agentId: ${agentId}`,
    `secret: ${secret}`,
    'hub:',
    `  url: ${url}`,
    '  reconnectMinMs: 50',
    '  reconnectMaxMs: 500',
    `dataDir: ${join(dir, 'data')}`,
    'devices:',
    '  - id: host',
    '    kind: host',
    '    pollIntervalS: 1',
  ].join('\n');
  await writeFile(file, `${yaml}\n`);
  return file;
}
