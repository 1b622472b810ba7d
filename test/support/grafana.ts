/**
 * Grafana dashboards as tests see them: the provisioned JSON files, every panel's InfluxQL,
 * the template variables and time macros substituted the way Grafana's InfluxDB data
 * source does it, and a runner that sends the result to a real influxd.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const GRAFANA_DIR = new URL('../../dashboards/grafana/', import.meta.url).pathname;
export const DASHBOARD_DIR = join(GRAFANA_DIR, 'dashboards');

export interface GrafanaTarget {
  refId: string;
  query?: string;
  rawQuery?: boolean;
  datasource?: { type?: string; uid?: string };
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  /** A panel's own relative range ("15m"): its $timeFilter ends where the dashboard's does. */
  timeFrom?: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `15m` → 900000. */
export function durationMs(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (m === null) throw new Error(`cannot read the duration ${JSON.stringify(text)}`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

export interface GrafanaVariable {
  name: string;
  type: string;
  query: string;
  allValue?: string;
  datasource?: { type?: string; uid?: string };
}

export interface GrafanaDashboard {
  uid: string;
  title: string;
  templating: { list: GrafanaVariable[] };
  panels: GrafanaPanel[];
}

export function loadDashboards(): { file: string; dashboard: GrafanaDashboard }[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as GrafanaDashboard }));
}

/** What a variable is set to: All, or one or more values. */
export type VariableValue = 'All' | readonly string[];

export interface QueryContext {
  /** Range of the dashboard's time picker, ms. */
  from: number;
  to: number;
  /** `$__interval`, e.g. `10s`. */
  interval: string;
  intervalMs: number;
  values: Record<string, VariableValue>;
  variables: readonly GrafanaVariable[];
}

/** Grafana's regex escape (kbn.regexEscape), used by the `:regex` format. */
const regexEscape = (s: string) => s.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');

function formatValue(variable: GrafanaVariable | undefined, name: string, value: VariableValue | undefined, format: string | undefined): string {
  if (variable === undefined || value === undefined) throw new Error(`the query uses $${name}, which is no variable of its dashboard (or has no value in the test)`);
  // A custom all value is put in as it is, whatever the format (Grafana's TemplateSrv).
  if (value === 'All') {
    if (variable.allValue === undefined) throw new Error(`variable ${name} has no allValue: All would expand to every value`);
    return variable.allValue;
  }
  if (format === 'regex') return value.length === 1 ? regexEscape(value[0] as string) : `(${value.map(regexEscape).join('|')})`;
  if (format === undefined && value.length === 1) return value[0] as string;
  if (format === undefined) return `{${value.join(',')}}`;
  throw new Error(`format ${format} of $${name} is not handled by the test`);
}

/**
 * The query Grafana would send: `$timeFilter` as an absolute range, `$__interval`,
 * `$__interval_ms`, and `$var` / `${var}` / `${var:regex}`. Throws on a variable it cannot
 * resolve, so a typo in a panel fails the test.
 */
export function interpolate(query: string, ctx: QueryContext): string {
  const byName = new Map(ctx.variables.map((v) => [v.name, v]));
  const out = query
    .replaceAll('$timeFilter', `time >= ${ctx.from}ms and time <= ${ctx.to}ms`)
    .replaceAll('$__interval_ms', String(ctx.intervalMs))
    .replaceAll('$__interval', ctx.interval)
    .replace(/\$\{([A-Za-z_]\w*)(?::([a-z]+))?\}|\$([A-Za-z_]\w*)/g, (_, braced: string | undefined, format: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      return formatValue(byName.get(name), name, ctx.values[name], format);
    });
  return out;
}

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** Runs InfluxQL the way Grafana does (POST /query); throws with InfluxDB's message on any error. */
export async function runInfluxQL(url: string, database: string, q: string): Promise<InfluxSeries[]> {
  const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ db: database, q, epoch: 'ms' }) });
  const text = await res.text();
  let json: { error?: string; results?: { error?: string; series?: InfluxSeries[] }[] };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new Error(`InfluxDB answered ${res.status}: ${text}`);
  }
  if (json.error !== undefined) throw new Error(`InfluxDB refused the query: ${json.error}\n  ${q}`);
  const failed = json.results?.find((r) => r.error !== undefined);
  if (failed) throw new Error(`InfluxDB refused the query: ${failed.error}\n  ${q}`);
  if (!res.ok) throw new Error(`InfluxDB answered ${res.status}: ${text}`);
  return (json.results ?? []).flatMap((r) => r.series ?? []);
}

/** Rows with a value besides the time that is not null (what a panel would draw). */
export function valueRows(series: readonly InfluxSeries[]): number {
  return series.reduce((n, s) => n + s.values.filter((row) => row.slice(1).some((v) => v !== null)).length, 0);
}

/** Every non-null value of the series (time left out), for assertions on what a panel shows. */
export function seriesValues(series: readonly InfluxSeries[]): unknown[] {
  return series.flatMap((s) => s.values.flatMap((row) => row.slice(1).filter((v) => v !== null)));
}
