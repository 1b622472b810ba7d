/**
 * Checks over the facts the agent collected: configuration drift against the approved
 * baseline, network targets and clock, security, disk and files, compatibility.
 */
import type { ControllerSnapshot } from '@ledwatch/protocols';
import { compareVersions, rangeText, supported } from './versions.js';
import { pass, problem, type Check, type CheckResult } from './types.js';

const MB = 1024 * 1024;
const mb = (b: number): number => Math.round((b / MB) * 10) / 10;

export const agentOnline: Check = (i) => {
  if (i.facts !== undefined) return [pass('agent-online', 'availability')];
  const since = i.agentLastSeen === null ? 'never' : new Date(i.agentLastSeen).toISOString();
  return [problem('agent-online', 'availability', 'fail', i.agentId === null ? 'no-agent' : 'offline', { since })];
};

/** Differences between two snapshots' configuration, as `field: was → now`. */
export function configDiff(base: ControllerSnapshot, now: ControllerSnapshot): string[] {
  const out: string[] = [];
  const b = base.config;
  const n = now.config;
  const cmp = (name: string, x: unknown, y: unknown): void => {
    const sx = JSON.stringify(x ?? null);
    const sy = JSON.stringify(y ?? null);
    if (sx !== sy) out.push(`${name}: ${sx} → ${sy}`);
  };
  cmp('firmware', base.firmware, now.firmware);
  cmp('brightness', b?.brightness, n?.brightness);
  cmp('selectedInput', b?.selectedInput, n?.selectedInput);
  cmp('inputs', b?.inputs, n?.inputs);
  cmp('redundancy', b?.redundancy, n?.redundancy);
  cmp('cardsPerPort', b?.cardsPerPort, n?.cardsPerPort);
  return out;
}

export const configDrift: Check = (i) => {
  if (i.facts === undefined) return [];
  return i.facts.configuration.controllers.map((c): CheckResult => {
    if (!c.reachable || c.config === undefined) return problem('config-drift', 'configuration', 'fail', 'unreadable', {}, c.device);
    const base = i.baselines.get(c.device);
    if (base === undefined) return problem('config-drift', 'configuration', 'warn', 'no-baseline', {}, c.device);
    const diff = configDiff(base, c);
    if (diff.length === 0) return pass('config-drift', 'configuration', {}, c.device);
    return problem('config-drift', 'configuration', 'fail', 'drift', { changes: diff.join('; ') }, c.device);
  });
};

export const networkTargets: Check = (i) => {
  if (i.facts === undefined) return [];
  const out: CheckResult[] = [];
  for (const t of i.facts.network.targets.filter((x) => x.role === 'gateway' || x.role === 'dns')) {
    out.push(t.reachable ? pass('network-target', 'network', { role: t.role, host: t.host }, `${t.role} ${t.host}`) : problem('network-target', 'network', 'fail', 'unreachable', { role: t.role, host: t.host, error: t.error ?? '' }, `${t.role} ${t.host}`));
  }
  if (!i.networkConfigured.gateway && !i.networkConfigured.dns) out.push(problem('network-target', 'network', 'warn', 'not-configured'));
  const hub = i.facts.network.targets.find((t) => t.role === 'hub');
  if (hub !== undefined) {
    if (!hub.reachable) out.push(problem('hub-latency', 'network', 'fail', 'unreachable', { host: hub.host }));
    else if ((hub.latencyMs ?? 0) > i.thresholds.hubLatencyWarnMs) out.push(problem('hub-latency', 'network', 'warn', 'slow', { ms: hub.latencyMs ?? 0, limit: i.thresholds.hubLatencyWarnMs }));
    else out.push(pass('hub-latency', 'network', { ms: hub.latencyMs ?? 0 }));
  }
  return out;
};

export const clockOffset: Check = (i) => {
  if (i.facts === undefined) return [];
  const ntp = i.facts.network.targets.filter((t) => t.role === 'ntp');
  if (ntp.length === 0) return [problem('clock-offset', 'network', 'warn', 'not-configured')];
  const offset = i.facts.network.clockOffsetMs;
  if (offset === undefined) return [problem('clock-offset', 'network', 'fail', 'no-answer', { servers: ntp.map((t) => t.host).join(', ') })];
  const abs = Math.abs(offset);
  const params = { ms: Math.round(offset), limit: i.thresholds.clockFailMs };
  if (abs >= i.thresholds.clockFailMs) return [problem('clock-offset', 'network', 'fail', 'skewed', params)];
  if (abs >= i.thresholds.clockWarnMs) return [problem('clock-offset', 'network', 'warn', 'skewed', { ...params, limit: i.thresholds.clockWarnMs })];
  return [pass('clock-offset', 'network', params)];
};

export const listeningPorts: Check = (i) => {
  if (i.facts === undefined) return [];
  const allowed = new Set(i.allowedPorts);
  // Loopback-only listeners cannot be reached from the site network.
  const exposed = i.facts.security.listening.filter((l) => !isLoopbackAddress(l.address));
  const extra = [...new Set(exposed.filter((l) => !allowed.has(l.port)).map((l) => l.port))].sort((a, b) => a - b);
  if (extra.length === 0) return [pass('listening-ports', 'security', { allowed: i.allowedPorts.join(', ') })];
  return [problem('listening-ports', 'security', 'fail', 'unexpected', { ports: extra.join(', '), allowed: i.allowedPorts.join(', ') || '—' })];
};

export const ssh: Check = (i) => {
  if (i.facts === undefined) return [];
  const s = i.facts.security.ssh;
  if (!s.present) return [pass('ssh', 'security', {}, s.path)];
  const out: CheckResult[] = [];
  if (s.passwordAuthentication === true) out.push(problem('ssh', 'security', 'fail', 'password-login', { path: s.path }));
  if (s.permitRootLogin !== undefined && s.permitRootLogin !== 'no' && s.permitRootLogin !== 'prohibit-password' && s.permitRootLogin !== 'without-password') {
    out.push(problem('ssh', 'security', 'fail', 'root-login', { path: s.path, value: s.permitRootLogin }));
  }
  return out.length > 0 ? out : [pass('ssh', 'security', {}, s.path)];
};

export const osUpdates: Check = (i) => {
  if (i.facts === undefined) return [];
  const u = i.facts.security.updates;
  if (u.manager === 'none') return [pass('os-updates', 'security', { manager: 'none' })];
  if (u.error !== undefined) return [problem('os-updates', 'security', 'warn', 'unknown', { manager: u.manager, error: u.error })];
  if ((u.security ?? 0) > 0) return [problem('os-updates', 'security', 'fail', 'security', { count: u.security ?? 0, pending: u.pending ?? 0, manager: u.manager })];
  if ((u.pending ?? 0) > 0) return [problem('os-updates', 'security', 'warn', 'pending', { pending: u.pending ?? 0, manager: u.manager })];
  return [pass('os-updates', 'security', { manager: u.manager })];
};

export const firewall: Check = (i) => {
  if (i.facts === undefined) return [];
  const f = i.facts.security.firewall;
  if (f.state === 'active') return [pass('firewall', 'security', { tool: f.tool ?? '' })];
  return [problem('firewall', 'security', 'warn', f.state, { tool: f.tool ?? '' })];
};

export const agentRoot: Check = (i) => {
  if (i.facts === undefined) return [];
  return [i.facts.security.runningAsRoot ? problem('agent-root', 'security', 'warn', 'root') : pass('agent-root', 'security')];
};

export const hubCertificate: Check = (i) => {
  const c = i.facts?.security.hubCertificate;
  if (c === undefined) return [];
  const days = Math.floor((c.notAfter - i.now) / 86_400_000);
  const params = { days, date: new Date(c.notAfter).toISOString().slice(0, 10) };
  if (days <= i.thresholds.certFailDays) return [problem('hub-certificate', 'security', 'fail', 'expiring', params)];
  if (days <= i.thresholds.certWarnDays) return [problem('hub-certificate', 'security', 'warn', 'expiring', params)];
  return [pass('hub-certificate', 'security', params)];
};

export const controllerExposure: Check = (i) => {
  if (i.facts === undefined) return [];
  return i.facts.configuration.controllers
    .filter((c) => c.controlPort !== undefined)
    .map((c) => {
      const p = c.controlPort as NonNullable<ControllerSnapshot['controlPort']>;
      return p.lan ? problem('controller-exposure', 'security', 'fail', 'lan', { host: p.host, port: p.port }, c.device) : pass('controller-exposure', 'security', { host: p.host, port: p.port }, c.device);
    });
};

export const diskUsage: Check = (i) => {
  if (i.facts === undefined) return [];
  const t = i.thresholds;
  return i.facts.disk.mounts.map((m) => {
    const worst = Math.max(m.usedPct, m.inodesUsedPct ?? 0);
    const params = { mount: m.mount, pct: m.usedPct, inodes: m.inodesUsedPct ?? 0, free: mb(m.sizeBytes - m.usedBytes) };
    if (worst >= t.diskFailPct) return problem('disk-usage', 'disk', 'fail', m.inodesUsedPct !== undefined && m.inodesUsedPct > m.usedPct ? 'inodes' : 'full', params, m.mount);
    if (worst >= t.diskWarnPct) return problem('disk-usage', 'disk', 'warn', 'filling', params, m.mount);
    return pass('disk-usage', 'disk', params, m.mount);
  });
};

export const logGrowth: Check = (i) => {
  if (i.facts === undefined) return [];
  const out: CheckResult[] = [];
  for (const d of i.facts.disk.logDirs) {
    const before = i.previousFacts?.disk.logDirs.find((x) => x.path === d.path);
    const growth = before === undefined ? 0 : d.bytes - before.bytes;
    const params = { path: d.path, size: mb(d.bytes), growth: mb(growth) };
    out.push(growth > i.thresholds.logGrowthWarnBytes ? problem('log-growth', 'disk', 'warn', 'growing', params, d.path) : pass('log-growth', 'disk', params, d.path));
  }
  const o = i.facts.disk.outbox;
  out.push(o.bytes > i.thresholds.outboxWarnBytes ? problem('outbox', 'disk', 'warn', 'backlog', { size: mb(o.bytes) }) : pass('outbox', 'disk', { size: mb(o.bytes) }));
  return out;
};

export const firmware: Check = (i) => {
  if (i.facts === undefined) return [];
  return i.facts.configuration.controllers.map((c) => {
    if (c.model === undefined || c.firmware === undefined) return problem('firmware', 'compatibility', 'warn', 'unknown', {}, c.device);
    const s = supported(i.matrix, 'controller', c.model, c.firmware);
    const params = { model: c.model, firmware: c.firmware, range: rangeText(s.rows) };
    if (s.verdict === 'unsupported') return problem('firmware', 'compatibility', 'fail', 'unsupported', params, c.device);
    if (s.verdict === 'unknown') return problem('firmware', 'compatibility', 'warn', 'not-listed', params, c.device);
    return pass('firmware', 'compatibility', params, c.device);
  });
};

export const platform: Check = (i) => {
  if (i.facts === undefined) return [];
  const c = i.facts.compatibility;
  const out: CheckResult[] = [];
  const agentCmp = compareVersions(c.agentVersion, i.hubVersion);
  if (agentCmp < 0) out.push(problem('agent-version', 'compatibility', 'warn', 'older', { agent: c.agentVersion, hub: i.hubVersion }));
  else out.push(pass('agent-version', 'compatibility', { agent: c.agentVersion, hub: i.hubVersion }));
  const node = supported(i.matrix, 'node', '*', c.node);
  out.push(node.verdict === 'unsupported' ? problem('node-version', 'compatibility', 'fail', 'unsupported', { node: c.node, range: rangeText(node.rows) }) : pass('node-version', 'compatibility', { node: c.node }));
  const os = supported(i.matrix, 'os', c.os.platform, c.os.release);
  const osParams = { os: `${c.os.distro ?? c.os.platform} (${c.os.release}, ${c.os.arch})`, range: rangeText(os.rows) };
  out.push(os.verdict === 'unsupported' ? problem('os-version', 'compatibility', 'fail', 'unsupported', osParams) : pass('os-version', 'compatibility', osParams));
  return out;
};

export const collectionErrors: Check = (i) => (i.facts?.errors ?? []).map((e) => problem('collection', 'operations', 'warn', 'error', { area: e.area, message: e.message }, e.area));

export function isLoopbackAddress(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
