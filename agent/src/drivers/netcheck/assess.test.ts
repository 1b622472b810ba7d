import { describe, expect, it } from 'vitest';
import { assess, summarize } from './assess.js';
import { DEFAULT_EXPECT_STATUS, type HttpTarget, type TcpTarget } from './targets.js';

const NOW = 1_750_000_000_000;
const DAY_MS = 86_400_000;
const tcp: TcpTarget = { name: 'gateway', type: 'tcp', host: '192.0.2.1', port: 502, timeoutMs: 3000 };
const web: HttpTarget = {
  name: 'cms',
  type: 'http',
  url: new URL('https://cms.example.com/'),
  method: 'GET',
  expectStatus: DEFAULT_EXPECT_STATUS,
  rejectUnauthorized: true,
  warnCertDays: 21,
  timeoutMs: 3000,
};
const cert = (days: number, trusted = true) => ({ expiresAt: NOW + days * DAY_MS, subject: 'cms.example.com', trusted });

describe('assessing a check result', () => {
  it('calls silence and a missing route unreachable, but a refusal or an unknown host a fault', () => {
    const states = ['timeout', 'EHOSTUNREACH', 'ECONNREFUSED', 'ENOTFOUND'].map((error) => assess(tcp, { reachable: false, error }, NOW).state);
    expect(states).toEqual(['unreachable', 'unreachable', 'fault', 'fault']);
  });

  it('judges an expired certificate before trust, and trust before the status', () => {
    const result = { reachable: true, statusCode: 500, latencyMs: 3 };
    expect(assess(web, { ...result, cert: cert(-1, false) }, NOW).metrics.error).toBe('cert-expired');
    expect(assess(web, { ...result, cert: cert(90, false) }, NOW).metrics.error).toBe('cert-untrusted');
    expect(assess(web, { ...result, cert: cert(90) }, NOW).metrics.error).toBe('unexpected-status');
  });

  it('warns on a certificate inside warnCertDays and on latency above warnLatencyMs', () => {
    expect(assess(web, { reachable: true, statusCode: 200, latencyMs: 3, cert: cert(20.5) }, NOW)).toMatchObject({
      state: 'warn',
      metrics: { certDaysLeft: 20, certTrusted: true, certExpiresAt: NOW + 20.5 * DAY_MS },
    });
    expect(assess(web, { reachable: true, statusCode: 200, latencyMs: 3, cert: cert(22) }, NOW).state).toBe('ok');
    expect(assess({ ...tcp, warnLatencyMs: 100 }, { reachable: true, latencyMs: 150 }, NOW).state).toBe('warn');
  });

  it('summarizes targets down and warning in the device reading', () => {
    const at = NOW;
    const r = (state: 'ok' | 'warn' | 'fault' | 'unreachable') => ({ device: 'net', at, metrics: {}, state });
    expect(summarize([r('ok'), r('warn'), r('unreachable'), r('fault')])).toEqual({
      state: 'fault',
      metrics: { targets: 4, targetsDown: 2, targetsWarn: 1 },
    });
    expect(summarize([r('ok'), r('warn')]).state).toBe('warn');
    expect(summarize([r('ok')]).state).toBe('ok');
  });
});
