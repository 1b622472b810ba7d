/** What a report shows, built from a finished inspection; HTML and PDF render the same model. */
import type { CheckResult, PeriodData } from '../inspections/checks/types.js';

export interface ReportModel {
  siteName: string;
  customerName: string;
  language: string;
  periodStart: number;
  periodEnd: number;
  generatedAt: number;
  timeZone: string;
  agentOnline: boolean;
  agentLastSeen: number | null;
  summary: { pass: number; warn: number; fail: number; verdict: 'pass' | 'warn' | 'fail' };
  results: CheckResult[];
  series: PeriodData['series'];
}

export const AREA_ORDER = ['availability', 'configuration', 'network', 'security', 'disk', 'compatibility', 'operations', 'seasonal'] as const;

/** Problems first (fail, then warn), each group in area order. */
export function problemsOf(results: readonly CheckResult[]): CheckResult[] {
  const rank = (r: CheckResult): number => (r.verdict === 'fail' ? 0 : 1) * 100 + AREA_ORDER.indexOf(r.area);
  return results.filter((r) => r.verdict !== 'pass').sort((a, b) => rank(a) - rank(b));
}

export function formatDate(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t);
}

export function formatDateTime(t: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
}

/** Chart geometry shared by the SVG and PDF renderers: points scaled into a w×h box. */
export function chartPoints(points: readonly { t: number; v: number }[], w: number, h: number): { x: number; y: number; v: number }[] {
  if (points.length === 0) return [];
  const t0 = points[0]?.t ?? 0;
  const t1 = points[points.length - 1]?.t ?? t0;
  const vs = points.map((p) => p.v);
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  const span = hi - lo || 1;
  return points.map((p) => ({ x: t1 === t0 ? w / 2 : ((p.t - t0) / (t1 - t0)) * w, y: h - ((p.v - lo) / span) * h, v: p.v }));
}

export function seriesRange(points: readonly { v: number }[]): { lo: number; hi: number } {
  const vs = points.map((p) => p.v);
  return { lo: Math.min(...vs), hi: Math.max(...vs) };
}
