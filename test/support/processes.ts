/**
 * Spawning the project's own programs from source in tests: the real CLI processes, with
 * tsx, so no build is needed and signals reach the program itself (no launcher between).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnSource(entry: 'agent' | 'hub', args: string[], env: Record<string, string> = {}): Spawned {
  const cli = fileURLToPath(new URL(`../../${entry}/src/cli.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, cli, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}
