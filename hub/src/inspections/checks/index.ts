/** Every check by id, in report order; templates enable them by id. */
import * as f from './facts-checks.js';
import * as p from './period-checks.js';
import type { Check, CheckInput, CheckResult } from './types.js';

export const CHECKS: Readonly<Record<string, Check>> = {
  'agent-online': f.agentOnline,
  'config-drift': f.configDrift,
  'network-target': f.networkTargets,
  'clock-offset': f.clockOffset,
  'listening-ports': f.listeningPorts,
  ssh: f.ssh,
  'os-updates': f.osUpdates,
  firewall: f.firewall,
  'agent-root': f.agentRoot,
  'hub-certificate': f.hubCertificate,
  'controller-exposure': f.controllerExposure,
  'disk-usage': f.diskUsage,
  'log-growth': f.logGrowth,
  firmware: f.firmware,
  platform: f.platform,
  collection: f.collectionErrors,
  uptime: p.uptime,
  'alarms-tickets': p.alarmsAndTickets,
  sla: p.sla,
  temperature: p.temperature,
  voltage: p.voltage,
  'missing-cards': p.missingCards,
  recurring: p.recurring,
  'season-rainy': p.rainy,
  'season-typhoon': p.typhoon,
  'season-winter': p.winter,
};

export const CHECK_IDS = Object.keys(CHECKS);
export const BASE_CHECK_IDS = CHECK_IDS.filter((id) => !id.startsWith('season-'));

/** Runs the enabled checks; `agent-online` always runs so an offline agent is never silent. */
export function runChecks(input: CheckInput): CheckResult[] {
  const out: CheckResult[] = [];
  for (const [id, check] of Object.entries(CHECKS)) {
    if (id !== 'agent-online' && !input.enabled.has(id)) continue;
    out.push(...check(input));
  }
  return out;
}

export function summarize(results: readonly CheckResult[]): { pass: number; warn: number; fail: number; verdict: 'pass' | 'warn' | 'fail' } {
  const s = { pass: 0, warn: 0, fail: 0 };
  for (const r of results) s[r.verdict]++;
  return { ...s, verdict: s.fail > 0 ? 'fail' : s.warn > 0 ? 'warn' : 'pass' };
}

export * from './types.js';
