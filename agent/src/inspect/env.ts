/**
 * Everything the collectors read from the host, behind one object so tests plant
 * problems (a config file, a mount list, a fake `apt-get`) without depending on the test
 * host. Paths are under `root` (default `/`); commands run only when their file exists,
 * by absolute path, with a timeout.
 */
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import os from 'node:os';
import { LinuxHostProbe } from '../drivers/host/linux-probe.js';
import type { HostProbe } from '../drivers/host/probe.js';
import { nodeNetProbes, type NetProbes } from './net-probes.js';

export interface InspectPaths {
  /** Folder holding tcp and tcp6 (listening sockets). */
  procNet: string;
  sshdConfig: string;
  aptGet: string;
  dnf: string;
  nft: string;
  ufw: string;
  iptables: string;
}

export const DEFAULT_INSPECT_PATHS: InspectPaths = {
  procNet: '/proc/net',
  sshdConfig: '/etc/ssh/sshd_config',
  aptGet: '/usr/bin/apt-get',
  dnf: '/usr/bin/dnf',
  nft: '/usr/sbin/nft',
  ufw: '/usr/sbin/ufw',
  iptables: '/usr/sbin/iptables',
};

export interface CommandOutput {
  code: number | null;
  stdout: string;
}

export interface InspectEnv {
  paths: InspectPaths;
  host: HostProbe;
  net: NetProbes;
  readText(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  /** Runs a program by absolute path; undefined when it could not start. */
  run(file: string, args: string[], timeoutMs: number): Promise<CommandOutput | undefined>;
  uid(): number | undefined;
  interfaces(): NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  now(): number;
}

export interface NodeEnvOptions {
  /** Prefix of every host path (tests: a temp folder). */
  root?: string;
  paths?: Partial<InspectPaths>;
  net?: NetProbes;
  now?: () => number;
}

export function nodeInspectEnv(opts: NodeEnvOptions = {}): InspectEnv {
  const root = (opts.root ?? '').replace(/\/$/, '');
  const at = (p: string): string => (p.startsWith(root + '/') && root !== '' ? p : `${root}${p}`);
  return {
    paths: { ...DEFAULT_INSPECT_PATHS, ...opts.paths },
    host: new LinuxHostProbe(root === '' ? {} : { root }),
    net: opts.net ?? nodeNetProbes,
    async readText(path) {
      try {
        return await readFile(at(path), 'utf8');
      } catch {
        return undefined;
      }
    },
    async exists(path) {
      try {
        await access(at(path));
        return true;
      } catch {
        return false;
      }
    },
    run(file, args, timeoutMs) {
      return new Promise((resolve) => {
        execFile(at(file), args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout) => {
          const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
          if (err !== null && code === null) return resolve(undefined);
          resolve({ code, stdout: String(stdout) });
        });
      });
    },
    uid: () => (typeof process.getuid === 'function' ? process.getuid() : undefined),
    interfaces: () => os.networkInterfaces(),
    now: opts.now ?? Date.now,
  };
}
