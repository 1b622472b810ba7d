/**
 * Judges a check result: the metrics of the target's reading and its state.
 *
 *   unreachable  no answer in time (timeout) or no route to the host;
 *   fault        refused, reset, unknown host, unexpected status, certificate expired or
 *                (with rejectUnauthorized) untrusted;
 *   warn         certificate expiring within warnCertDays, latency above warnLatencyMs;
 *   ok           otherwise.
 */
import type { DeviceState } from '@ledwatch/protocols';
import type { Reading } from '../types.js';
import type { CheckResult } from './check.js';
import { statusExpected, type Target } from './targets.js';

const DAY_MS = 86_400_000;

/** Errors that mean nothing answered, rather than that something answered "no". */
const NO_ANSWER = new Set(['timeout', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

export interface Assessment {
  state: DeviceState;
  metrics: Reading['metrics'];
}

export function assess(target: Target, result: CheckResult, now: number): Assessment {
  const metrics: Reading['metrics'] = { reachable: result.reachable };
  if (result.latencyMs !== undefined) metrics.latencyMs = result.latencyMs;
  if (result.statusCode !== undefined) metrics.statusCode = result.statusCode;
  const cert = result.cert;
  if (cert) {
    metrics.certExpiresAt = cert.expiresAt;
    metrics.certDaysLeft = Math.floor((cert.expiresAt - now) / DAY_MS);
    metrics.certSubject = cert.subject;
    metrics.certTrusted = cert.trusted;
    if (cert.trustError !== undefined) metrics.certError = cert.trustError;
  }
  const fault = (error: string, state: DeviceState = 'fault'): Assessment => ({ state, metrics: { ...metrics, error } });

  if (!result.reachable) return fault(result.error ?? 'error', NO_ANSWER.has(result.error ?? '') ? 'unreachable' : 'fault');
  if (target.type === 'http') {
    if (cert && cert.expiresAt <= now) return fault('cert-expired');
    if (cert && !cert.trusted && target.rejectUnauthorized) return fault('cert-untrusted');
    if (result.statusCode !== undefined && !statusExpected(result.statusCode, target.expectStatus)) return fault('unexpected-status');
    if (cert && cert.expiresAt - now < target.warnCertDays * DAY_MS) return { state: 'warn', metrics };
  }
  if (target.warnLatencyMs !== undefined && (result.latencyMs ?? 0) > target.warnLatencyMs) return { state: 'warn', metrics };
  return { state: 'ok', metrics };
}

/** The device-level reading: how many targets are down (fault or unreachable) or warn. */
export function summarize(targets: readonly Reading[]): Assessment {
  const down = targets.filter((r) => r.state === 'fault' || r.state === 'unreachable').length;
  const warn = targets.filter((r) => r.state === 'warn').length;
  const state: DeviceState = down > 0 ? 'fault' : warn > 0 ? 'warn' : 'ok';
  return { state, metrics: { targets: targets.length, targetsDown: down, targetsWarn: warn } };
}
