import { describe, expect, it } from 'vitest';
import { CHECKS, runChecks } from './index.js';
import { DEFAULT_THRESHOLDS, type CheckInput, type PeriodData } from './types.js';
import { compareVersions, supported } from './versions.js';

const period = (over: Partial<PeriodData> = {}): PeriodData => ({
  periodStart: 0,
  periodEnd: 30 * 86_400_000,
  uptime: [],
  alarms: { total: 0, critical: 0, byType: {} },
  tickets: { opened: 0, open: 0, closed: 0, slaBreaches: 0, recurring: [] },
  peaks: [],
  missingCards: [],
  series: [],
  ...over,
});

const input = (p: PeriodData, enabled: string[]): CheckInput => ({
  siteName: 's',
  facts: undefined,
  agentId: 'a',
  agentOnline: false,
  agentLastSeen: null,
  hubVersion: '0.1.0',
  baselines: new Map(),
  matrix: [],
  allowedPorts: [],
  networkConfigured: { gateway: false, dns: false, ntp: false },
  thresholds: DEFAULT_THRESHOLDS,
  previousFacts: undefined,
  previousAt: undefined,
  period: p,
  enabled: new Set(enabled),
  now: 0,
});

describe('checks over the month’s data', () => {
  it('computes uptime per device from its downtime', () => {
    const r = CHECKS.uptime?.(input(period({ uptime: [{ agentId: 'a', device: 'ctrl-1', downMs: 36 * 3_600_000 }] }), []));
    expect(r).toEqual([expect.objectContaining({ verdict: 'fail', subject: 'ctrl-1', finding: { key: 'uptime.low', params: { pct: 95, hours: 36 } } })]);
  });

  it('fails SLA breaches and warns about recurring problems', () => {
    const p = period({ tickets: { opened: 4, open: 0, closed: 4, slaBreaches: 1, recurring: [{ title: 'Card missing', count: 3 }] } });
    expect(CHECKS.sla?.(input(p, []))[0]?.verdict).toBe('fail');
    expect(CHECKS.recurring?.(input(p, []))[0]).toMatchObject({ verdict: 'warn', finding: { params: { problems: 'Card missing (3×)' } } });
  });

  it('adds the seasonal checks only when their template is in force, computed from readings', () => {
    const p = period({
      peaks: [
        { device: 'ctrl-1/p0/c1', metric: 'humidityPct', max: 93, min: 60 },
        { device: 'ctrl-1/p0/c1', metric: 'doorsOpen', max: 1, min: 0 },
        { device: 'ctrl-1/p0/c2', metric: 'temperatureC', max: 30, min: -12 },
      ],
    });
    expect(runChecks(input(p, [])).map((r) => r.check)).toEqual(['agent-online']);
    const seasonal = runChecks(input(p, ['season-rainy', 'season-typhoon', 'season-winter'])).filter((r) => r.area === 'seasonal');
    expect(seasonal.map((r) => [r.check, r.verdict, r.finding.key])).toEqual([
      ['season-rainy', 'fail', 'season-rainy.humid'],
      ['season-typhoon', 'fail', 'season-typhoon.door'],
      ['season-winter', 'fail', 'season-winter.cold'],
    ]);
  });

  it('flags temperature peaks and missing cards', () => {
    const p = period({ peaks: [{ device: 'ctrl-1/p1/c2', metric: 'temperatureC', max: 85, min: 35 }], missingCards: ['ctrl-1/p0/c3'] });
    expect(CHECKS.temperature?.(input(p, []))[0]).toMatchObject({ verdict: 'fail', finding: { params: { max: 85, device: 'ctrl-1/p1/c2' } } });
    expect(CHECKS['missing-cards']?.(input(p, []))[0]).toMatchObject({ verdict: 'fail', finding: { params: { count: 1 } } });
  });
});

describe('checks over the agent’s facts', () => {
  it('warns when a log folder grew by more than the limit since the last inspection', async () => {
    const { INSPECT_SAMPLES } = await import('@ledwatch/protocols');
    const before = structuredClone(INSPECT_SAMPLES.facts.valid[0]) as NonNullable<CheckInput['facts']>;
    const now = structuredClone(before);
    (now.disk.logDirs[0] as { bytes: number }).bytes += 600 * 1024 * 1024;
    const i = { ...input(period(), ['log-growth']), facts: now, previousFacts: before };
    expect(CHECKS['log-growth']?.(i)[0]).toMatchObject({ verdict: 'warn', subject: '/var/log/ledwatch', finding: { key: 'log-growth.growing', params: { growth: 600 } } });
  });
});

describe('supported versions', () => {
  it('compares dotted versions numerically', () => {
    expect(compareVersions('4.10.0', '4.9')).toBe(1);
    expect(compareVersions('v20.19.0', '20.19')).toBe(0);
    expect(compareVersions('1.0.0.0', '4.0')).toBe(-1);
  });

  it('finds the matrix rows of a model by glob', () => {
    const matrix = [{ id: 1, kind: 'controller' as const, model: 'MCTRL*', minVersion: '4.0', maxVersion: null, note: null, builtin: true }];
    expect(supported(matrix, 'controller', 'MCTRL660 Pro', '4.3.0.0').verdict).toBe('supported');
    expect(supported(matrix, 'controller', 'MCTRL660 Pro', '1.0.0.0').verdict).toBe('unsupported');
    expect(supported(matrix, 'controller', 'VX1000', '4.3').verdict).toBe('unknown');
  });
});
