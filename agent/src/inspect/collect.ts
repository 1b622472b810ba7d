/**
 * Answers an `inspect` command: runs every collector, each guarded so one failing area
 * is reported in `errors` instead of failing the whole inspection, and checks the result
 * against the contract before it leaves the agent.
 */
import os from 'node:os';
import { validateInspectFacts, validateInspectParams, type InspectFacts, type InspectParams } from '@ledwatch/protocols';
import { collectConfiguration, type ConfigurationSources } from './configuration.js';
import { collectDisk } from './disk.js';
import type { InspectEnv } from './env.js';
import { collectNetwork } from './network.js';
import { collectSecurity } from './security.js';

export interface InspectSources extends ConfigurationSources {
  agentVersion: string;
  dataDir: string;
  /** The broker URL this agent uses (its host is probed; mqtts: its certificate read). */
  hubUrl: string;
  hubCa?: Buffer | undefined;
  outboxBatches?: number;
}

export async function collectFacts(rawParams: unknown, src: InspectSources, env: InspectEnv): Promise<InspectFacts> {
  const params: InspectParams = validateInspectParams(rawParams ?? {});
  const errors: InspectFacts['errors'] = [];
  const guard = async <T>(area: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      errors.push({ area, message: ((err as Error).message ?? String(err)).slice(0, 1000) });
      return fallback;
    }
  };
  const hub = hubEndpoint(src.hubUrl);
  const cert = hub?.tls ? await guard('security', () => env.net.tlsCertificate(hub.host, hub.port, 3000, src.hubCa), undefined) : undefined;
  const [network, security, disk, osInfo] = await Promise.all([
    guard('network', () => collectNetwork(env, params, hub), { interfaces: [], targets: [] }),
    guard('security', () => collectSecurity(env, cert), {
      listening: [],
      ssh: { present: false, path: env.paths.sshdConfig },
      updates: { manager: 'none' as const },
      firewall: { state: 'unknown' as const },
      runningAsRoot: env.uid() === 0,
    }),
    guard(
      'disk',
      () => collectDisk(env, { logDirs: params.logDirs ?? [], dataDir: src.dataDir, largestFiles: params.largestFiles ?? 10, ...(src.outboxBatches === undefined ? {} : { outboxBatches: src.outboxBatches }) }),
      { mounts: [], logDirs: [], largestFiles: [], outbox: { bytes: 0 } },
    ),
    guard('compatibility', () => env.host.osInfo(), undefined),
  ]);
  const facts: InspectFacts = {
    collectedAt: env.now(),
    agentVersion: src.agentVersion.slice(0, 64),
    configuration: collectConfiguration(src),
    network,
    security,
    disk,
    compatibility: {
      os: { platform: process.platform, release: (osInfo?.osRelease ?? os.release()).slice(0, 128), arch: process.arch, ...(osInfo?.osName ? { distro: osInfo.osName.slice(0, 128) } : {}) },
      node: process.versions.node,
      agentVersion: src.agentVersion.slice(0, 64),
    },
    errors: errors.slice(0, 50),
  };
  return validateInspectFacts(facts);
}

export function hubEndpoint(url: string): { host: string; port: number; tls: boolean } | undefined {
  try {
    const u = new URL(url);
    const tls = u.protocol === 'mqtts:' || u.protocol === 'wss:';
    const port = u.port !== '' ? Number(u.port) : tls ? 8883 : 1883;
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port, tls };
  } catch {
    return undefined;
  }
}
