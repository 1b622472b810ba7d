/**
 * A real Net-SNMP `snmpd` (Debian package snmpd) on a free loopback UDP port, for tests:
 * a peer this project did not write. Everything it reads and writes stays in a temp dir:
 *   -C -c <conf>           only our config file, none from /etc/snmp;
 *   SNMPCONFPATH=<dir>     no ~/.snmp or /usr/share/snmp config either;
 *   SNMP_PERSISTENT_DIR    its persistent state (v3 users, engine boots) not in /var/lib/snmp;
 *   MIBS= and -m ''        load no MIB files (numeric OIDs only; silences parse warnings);
 *   -f -Lo                 stay in the foreground, log to stdout (captured for errors);
 *   -r                     do not insist on root-only files.
 * The listening address goes on the command line (not agentAddress: both would bind twice).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCommand, stopProcess, tempDir, waitFor } from '../../../../../test/support/services.js';
import { freeUdpPort } from '../../../simulators/snmp/agent-host.js';
import { netSnmp } from '../net-snmp.js';

export const SNMPD_USER = { name: 'ledwatch', authKey: 'auth-passphrase-1', privKey: 'priv-passphrase-1' } as const;
export const SNMPD_SYS_NAME = 'ledwatch-snmpd-test';

export interface RunningSnmpd {
  port: number;
  output(): string;
  stop(): Promise<void>;
}

/** True when snmpd answers a v2c GET of sysUpTime. */
function answers(port: number): Promise<boolean | undefined> {
  const session = netSnmp.createSession('127.0.0.1', 'public', { port, version: netSnmp.Version2c, timeout: 200, retries: 0 });
  session.on('error', () => undefined);
  return new Promise((resolve) => {
    session.get(['1.3.6.1.2.1.1.3.0'], (err) => {
      session.close();
      resolve(err ? undefined : true);
    });
  });
}

export async function startSnmpd(): Promise<RunningSnmpd> {
  const bin = findCommand('snmpd');
  if (bin === undefined) throw new Error('snmpd is not installed (apt-get install snmpd)');
  const { dir, cleanup } = tempDir('snmpd');
  const port = await freeUdpPort();
  const conf = join(dir, 'snmpd.conf');
  writeFileSync(
    conf,
    [
      'rocommunity public 127.0.0.1',
      `createUser ${SNMPD_USER.name} SHA ${SNMPD_USER.authKey} AES ${SNMPD_USER.privKey}`,
      `rouser ${SNMPD_USER.name} priv`,
      `sysName ${SNMPD_SYS_NAME}`,
      'sysLocation ledwatch test',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SNMPCONFPATH: dir, SNMP_PERSISTENT_DIR: join(dir, 'persist'), MIBS: '' };
  const child = spawn(bin, ['-f', '-Lo', '-r', '-C', '-c', conf, '-m', '', `udp:127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    cleanup();
  };
  try {
    await waitFor(`snmpd on udp ${port}`, () => {
      if (child.exitCode !== null) throw new Error(`snmpd exited with ${child.exitCode}: ${out}`);
      return answers(port);
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, output: () => out, stop };
}
