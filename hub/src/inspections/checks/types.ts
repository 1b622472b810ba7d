/**
 * What a check produces: a verdict with the finding and the recommended fix, both as
 * message-catalogue keys with parameters (reports/messages), so a report can be rendered
 * in the customer's language from the same stored result.
 */
import type { ControllerSnapshot, InspectFacts } from '@ledwatch/protocols';

export type Verdict = 'pass' | 'warn' | 'fail';
export type CheckArea = 'availability' | 'configuration' | 'network' | 'security' | 'disk' | 'compatibility' | 'operations' | 'seasonal';
export type MessageParams = Record<string, string | number>;

export interface MessageRef {
  key: string;
  params?: MessageParams;
}

export interface CheckResult {
  /** Stable id of the check, e.g. `clock-offset`. */
  check: string;
  area: CheckArea;
  verdict: Verdict;
  /** What it is about when a check runs per device or mount, e.g. `ctrl-1` or `/var`. */
  subject?: string;
  finding: MessageRef;
  /** The recommended fix (absent for a pass). */
  fix?: MessageRef;
  /** A `warn` that was also a `warn` last month (escalated). */
  repeated?: boolean;
}

export interface Thresholds {
  diskWarnPct: number;
  diskFailPct: number;
  clockWarnMs: number;
  clockFailMs: number;
  hubLatencyWarnMs: number;
  certWarnDays: number;
  certFailDays: number;
  uptimeWarnPct: number;
  uptimeFailPct: number;
  temperatureWarnC: number;
  temperatureFailC: number;
  voltageLowV: number;
  voltageHighV: number;
  logGrowthWarnBytes: number;
  outboxWarnBytes: number;
  humidityWarnPct: number;
  humidityFailPct: number;
  coldWarnC: number;
  coldFailC: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  diskWarnPct: 80,
  diskFailPct: 90,
  clockWarnMs: 500,
  clockFailMs: 2000,
  hubLatencyWarnMs: 500,
  certWarnDays: 30,
  certFailDays: 7,
  uptimeWarnPct: 99.5,
  uptimeFailPct: 98,
  temperatureWarnC: 65,
  temperatureFailC: 75,
  voltageLowV: 4.6,
  voltageHighV: 5.4,
  logGrowthWarnBytes: 500 * 1024 * 1024,
  outboxWarnBytes: 50 * 1024 * 1024,
  humidityWarnPct: 80,
  humidityFailPct: 90,
  coldWarnC: 0,
  coldFailC: -10,
};

export interface SupportedVersion {
  id: number;
  kind: 'controller' | 'agent' | 'os' | 'node';
  /** Model name glob (`*` = any), e.g. `MCTRL*`, or the OS platform. */
  model: string;
  minVersion: string | null;
  maxVersion: string | null;
  note: string | null;
  builtin: boolean;
}

/** Per-device figures of the period, gathered from telemetry, alarms and tickets. */
export interface PeriodData {
  periodStart: number;
  periodEnd: number;
  /** Devices of the site with how long they were down (offline/unreachable/missing alarms). */
  uptime: { device: string; agentId: string; downMs: number }[];
  alarms: { total: number; critical: number; byType: Record<string, number> };
  tickets: { opened: number; open: number; closed: number; slaBreaches: number; recurring: { title: string; count: number }[] };
  /** Max/min of a metric per device over the period. */
  peaks: { device: string; metric: string; max: number | null; min: number | null }[];
  /** Cards that went missing in the period. */
  missingCards: string[];
  /** Daily series for the report's charts. */
  series: { name: string; unit: string; points: { t: number; v: number }[] }[];
}

export interface CheckInput {
  siteName: string;
  /** Undefined when the agent did not answer (offline). */
  facts: InspectFacts | undefined;
  agentId: string | null;
  agentOnline: boolean;
  agentLastSeen: number | null;
  hubVersion: string;
  baselines: Map<string, ControllerSnapshot>;
  matrix: SupportedVersion[];
  allowedPorts: number[];
  networkConfigured: { gateway: boolean; dns: boolean; ntp: boolean };
  thresholds: Thresholds;
  /** Facts of the previous inspection of the site, for growth figures. */
  previousFacts: InspectFacts | undefined;
  previousAt: number | undefined;
  period: PeriodData;
  /** Checks the templates in force enable (base + seasonal of the month). */
  enabled: Set<string>;
  now: number;
}

export type Check = (input: CheckInput) => CheckResult[];

export const pass = (check: string, area: CheckArea, params: MessageParams = {}, subject?: string): CheckResult => ({
  check,
  area,
  verdict: 'pass',
  ...(subject === undefined ? {} : { subject }),
  finding: { key: `${check}.pass`, params },
});

export const problem = (check: string, area: CheckArea, verdict: 'warn' | 'fail', variant: string, params: MessageParams = {}, subject?: string): CheckResult => ({
  check,
  area,
  verdict,
  ...(subject === undefined ? {} : { subject }),
  finding: { key: `${check}.${variant}`, params },
  fix: { key: `${check}.${variant}.fix`, params },
});
