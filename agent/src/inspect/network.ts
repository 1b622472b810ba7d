/**
 * Network facts: the host's interfaces and addresses, and reachability of exactly the
 * targets the site's config names (gateway, DNS, NTP) plus the hub this agent talks to.
 * The clock offset comes from the first NTP server that answers.
 */
import type { InspectFacts, InspectParams } from '@ledwatch/protocols';
import type { InspectEnv } from './env.js';

type Network = InspectFacts['network'];
type Target = Network['targets'][number];

const TIMEOUT_MS = 3000;

export async function collectNetwork(env: InspectEnv, params: InspectParams, hub: { host: string; port: number } | undefined): Promise<Network> {
  const interfaces: Network['interfaces'] = Object.entries(env.interfaces())
    .slice(0, 64)
    .map(([name, addrs]) => ({
      name: name.slice(0, 64),
      addresses: (addrs ?? []).slice(0, 32).map((a) => `${a.address}/${a.cidr?.split('/')[1] ?? ''}`.slice(0, 64)),
      internal: (addrs ?? []).every((a) => a.internal),
    }));
  const net = params.network ?? {};
  const jobs: Promise<Target>[] = [];
  if (net.gateway) jobs.push(tcpTarget(env, 'gateway', net.gateway.host, net.gateway.port ?? 80));
  for (const d of net.dns ?? []) jobs.push(dnsTarget(env, d.host, d.port ?? 53));
  for (const n of net.ntp ?? []) jobs.push(ntpTarget(env, n.host, n.port ?? 123));
  const hubTarget = net.hub ?? hub;
  if (hubTarget) jobs.push(tcpTarget(env, 'hub', hubTarget.host, hubTarget.port ?? 1883));
  const targets = await Promise.all(jobs);
  const offset = targets.find((t) => t.role === 'ntp' && t.offsetMs !== undefined)?.offsetMs;
  return { interfaces, targets, ...(offset === undefined ? {} : { clockOffsetMs: offset }) };
}

async function tcpTarget(env: InspectEnv, role: 'gateway' | 'hub', host: string, port: number): Promise<Target> {
  const r = await env.net.tcp(host, port, TIMEOUT_MS);
  return { role, host, port, reachable: r.ok, ...(r.latencyMs === undefined ? {} : { latencyMs: round(r.latencyMs) }), ...(r.error ? { error: r.error.slice(0, 500) } : {}) };
}

async function dnsTarget(env: InspectEnv, host: string, port: number): Promise<Target> {
  const r = await env.net.dns(host, port, TIMEOUT_MS);
  return { role: 'dns', host, port, reachable: r.ok, ...(r.latencyMs === undefined ? {} : { latencyMs: round(r.latencyMs) }), ...(r.error ? { error: r.error.slice(0, 500) } : {}) };
}

async function ntpTarget(env: InspectEnv, host: string, port: number): Promise<Target> {
  try {
    const a = await env.net.sntp(host, port, TIMEOUT_MS);
    return { role: 'ntp', host, port, reachable: true, latencyMs: round(a.latencyMs), offsetMs: round(a.offsetMs) };
  } catch (err) {
    return { role: 'ntp', host, port, reachable: false, error: (err as Error).message.slice(0, 500) };
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;
