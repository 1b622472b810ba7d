/**
 * Install steps of a verified artifact, from the fixed set the signed manifest may name:
 * `extract` (gzip tarball, with `tar`, no shell), `link-current`, `restart-service`
 * (`systemctl restart <unit>`), `restart-agent` (left to the updater: hand-over to the
 * supervisor). Nothing here runs a command the hub or the API chose freely.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export class InstallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', (e) => reject(new InstallError('install-failed', `cannot run ${cmd}: ${e.message}`)));
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new InstallError('install-failed', `${cmd} ${args[0] ?? ''} exited ${code ?? signal ?? '?'}: ${err.trim()}`)),
    );
  });
}

/** Unpacks into `dir` (replacing an earlier, unfinished copy): into `<dir>.tmp`, then renamed. */
export async function extract(artifact: string, dir: string, strip = 0): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await mkdir(dirname(dir), { recursive: true });
  await run('tar', ['-xzf', artifact, '-C', tmp, '--no-same-owner', `--strip-components=${strip}`], 120_000);
  await rename(tmp, dir);
}

/** The version in an unpacked agent's package.json. */
export async function packageVersion(dir: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(await readFile(`${dir}/package.json`, 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

export async function restartService(unit: string): Promise<void> {
  await run('systemctl', ['restart', unit], 60_000);
}
