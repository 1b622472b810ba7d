/**
 * A real serial link for tests: a socat pty pair (`socat pty,raw,echo=0 pty,raw,echo=0`).
 * One end goes to the driver under test, the other to a device simulator. A pty carries
 * no baud rate: both ends work at any configured speed.
 */
import { spawnSync } from 'node:child_process';

export { openPtyPair, type PtyPair } from '../simulate/pty.js';

export function socatAvailable(): boolean {
  const ok = spawnSync('sh', ['-c', 'command -v socat'], { encoding: 'utf8' }).status === 0;
  if (!ok) {
    if (process.env.CI === 'true') throw new Error('socat is missing in CI: apt-get install socat (scripts/install-services.sh)');
    process.stderr.write('\n!!! socat not found: serial-link tests are SKIPPED. Install it: apt-get install socat\n');
  }
  return ok;
}
