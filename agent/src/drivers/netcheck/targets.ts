/**
 * Turns schema-valid options into checkable targets, with the checks a schema cannot
 * express (unique names, a parseable URL, a readable CA file). Every problem is reported at
 * once as a {@link ConfigError} naming the key, e.g. `targets.2.caFile`.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from '@ledwatch/protocols';
import type { NetcheckOptions, NetcheckTargetOptions } from './options.js';

/** Inclusive status ranges; a status is expected when it falls in one of them. */
export type StatusRanges = readonly (readonly [number, number])[];

export const DEFAULT_EXPECT_STATUS: StatusRanges = [[200, 399]];

interface TargetBase {
  name: string;
  timeoutMs: number;
  warnLatencyMs?: number;
}

export interface TcpTarget extends TargetBase {
  type: 'tcp';
  host: string;
  port: number;
}

export interface HttpTarget extends TargetBase {
  type: 'http';
  url: URL;
  method: 'GET' | 'HEAD';
  expectStatus: StatusRanges;
  /** PEM text of `caFile`, trusted besides the system CAs. */
  ca?: string;
  rejectUnauthorized: boolean;
  warnCertDays: number;
}

export type Target = TcpTarget | HttpTarget;

const ONLY_FOR: Record<Target['type'], readonly (keyof NetcheckTargetOptions)[]> = {
  tcp: ['url', 'method', 'expectStatus', 'caFile'],
  http: ['host', 'port'],
};

export function parseStatusSpec(spec: number | readonly number[] | string): StatusRanges {
  if (typeof spec === 'number') return [[spec, spec]];
  if (Array.isArray(spec)) return spec.map((s: number) => [s, s] as const);
  return (spec as string).split(',').map((part) => {
    const [lo = '', hi = lo] = part.split('-').map((s) => s.trim());
    return [Number(lo), Number(hi)] as const;
  });
}

export function statusExpected(status: number, ranges: StatusRanges): boolean {
  return ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** The targets of `options`; throws {@link ConfigError} listing every problem. */
export function resolveTargets(options: NetcheckOptions, source: string, readFile = (p: string) => readFileSync(p, 'utf8')): Target[] {
  const issues: ConfigIssue[] = [];
  const issue = (key: string, message: string, fix: string): void => void issues.push({ key, message, fix });
  const seen = new Map<string, number>();
  const targets = options.targets.map((t, i): Target | undefined => {
    const key = `targets.${i}`;
    const first = seen.get(t.name);
    if (first !== undefined) issue(`${key}.name`, `duplicates the name of targets.${first}`, 'give every target a unique name');
    else seen.set(t.name, i);
    for (const k of ONLY_FOR[t.type]) {
      if (t[k] !== undefined) issue(`${key}.${k}`, `is not used by ${t.type} targets`, `remove it, or set type to the kind of check it belongs to`);
    }
    const base: TargetBase = { name: t.name, timeoutMs: t.timeoutMs };
    if (t.warnLatencyMs !== undefined) base.warnLatencyMs = t.warnLatencyMs;
    if (t.type === 'tcp') {
      if (t.host === undefined) issue(`${key}.host`, 'is required for tcp targets', 'set the host name or IP address to connect to');
      if (t.port === undefined) issue(`${key}.port`, 'is required for tcp targets', 'set the port to connect to');
      return t.host === undefined || t.port === undefined ? undefined : { ...base, type: 'tcp', host: t.host, port: t.port };
    }
    const url = t.url !== undefined && URL.canParse(t.url) ? new URL(t.url) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      const got = t.url === undefined ? 'is required for http targets' : `is not an http(s) URL (got ${JSON.stringify(t.url)})`;
      issue(`${key}.url`, got, 'write it like https://cms.example.com/health');
      return undefined;
    }
    const target: HttpTarget = {
      ...base,
      type: 'http',
      url,
      method: t.method ?? 'GET',
      expectStatus: t.expectStatus === undefined ? DEFAULT_EXPECT_STATUS : parseStatusSpec(t.expectStatus),
      rejectUnauthorized: t.rejectUnauthorized,
      warnCertDays: t.warnCertDays,
    };
    if (target.expectStatus.some(([lo, hi]) => lo > hi)) {
      issue(`${key}.expectStatus`, `has a range that ends before it starts (${String(t.expectStatus)})`, 'write ranges low-high, e.g. 200-299');
    }
    if (t.caFile !== undefined) {
      try {
        target.ca = readFile(t.caFile);
      } catch (err) {
        issue(`${key}.caFile`, `cannot read ${t.caFile}: ${(err as Error).message}`, 'point caFile at a readable PEM file');
      }
    }
    return target;
  });
  if (issues.length > 0) throw new ConfigError(source, issues);
  return targets.filter((t): t is Target => t !== undefined);
}
