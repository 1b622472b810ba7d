/**
 * A real serial link for tests: a socat pty pair (`socat pty,raw,echo=0 pty,raw,echo=0`).
 * One end goes to the driver under test, the other to a device simulator. A pty carries
 * no baud rate: both ends work at any configured speed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';

export interface PtyPair {
  /** Path for the driver side, e.g. /dev/pts/5. */
  a: string;
  /** Path for the simulator side. */
  b: string;
  close(): Promise<void>;
}

export function socatAvailable(): boolean {
  const ok = spawnSync('sh', ['-c', 'command -v socat'], { encoding: 'utf8' }).status === 0;
  if (!ok) {
    if (process.env.CI === 'true') throw new Error('socat is missing in CI: apt-get install socat (scripts/install-services.sh)');
    process.stderr.write('\n!!! socat not found: serial-link tests are SKIPPED. Install it: apt-get install socat\n');
  }
  return ok;
}

export async function openPtyPair(): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths: string[] = [];
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socat did not open a pty pair: ${log}`)), 5000);
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      for (const m of d.toString().matchAll(/PTY is (\/dev\/\S+)/g)) paths.push(m[1] as string);
      if (/starting data transfer loop/.test(log) && paths.length >= 2) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`socat exited ${code}: ${log}`));
    });
  });
  return {
    a: paths[0] as string,
    b: paths[1] as string,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
