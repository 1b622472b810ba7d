/**
 * A socat pty pair for a simulated serial controller: the agent opens one end, the
 * simulator the other. Needs Debian's socat on the machine that runs the simulation.
 */
import { spawn } from 'node:child_process';

export interface PtyPair {
  a: string;
  b: string;
  close(): Promise<void>;
}

export async function openPtyPair(): Promise<PtyPair> {
  const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const paths: string[] = [];
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socat did not open a pty pair: ${log}`)), 5000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (apt-get install socat): ${err.message}`));
    });
    child.stderr.on('data', (d: Buffer) => {
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
