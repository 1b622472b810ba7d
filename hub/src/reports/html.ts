/**
 * The HTML report: one self-contained page (inline CSS, inline SVG charts), summary
 * first, then the problems with their fixes, the charts of the month, and every check.
 * Every text comes from the message catalogue.
 */
import { translator } from './catalogue.js';
import { AREA_ORDER, chartPoints, formatDate, formatDateTime, problemsOf, seriesRange, type ReportModel } from './model.js';
import type { CheckResult } from '../inspections/checks/types.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const COLORS = { pass: '#1b7f3b', warn: '#b7791f', fail: '#c53030' } as const;

export function renderHtml(m: ReportModel): string {
  const { t } = translator(m.language);
  const period = `${formatDate(m.periodStart, m.timeZone)} – ${formatDate(m.periodEnd - 1, m.timeZone)}`;
  const badge = (r: CheckResult): string => `<span class="badge ${r.verdict}">${esc(t(`report.verdict-label.${r.verdict}`))}</span>`;
  const row = (r: CheckResult, withFix: boolean): string =>
    `<tr><td>${esc(t(`report.area.${r.area}`))}</td><td>${esc(t(`${r.check}.title`))}</td><td>${esc(r.subject ?? '')}</td><td>${badge(r)}${r.repeated ? ` <em>${esc(t('report.repeated'))}</em>` : ''}</td><td>${esc(t(r.finding.key, r.finding.params))}</td>${withFix ? `<td>${r.fix ? esc(t(r.fix.key, r.fix.params)) : ''}</td>` : ''}</tr>`;
  const problems = problemsOf(m.results);
  const sorted = [...m.results].sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area));
  const charts = m.series.map((s) => chartSvg(t(`report.chart.${s.name}`), s.points, t('report.chart.empty'))).join('\n');
  return `<!doctype html>
<html lang="${esc(m.language)}"><head><meta charset="utf-8"><title>${esc(t('report.title'))} — ${esc(m.siteName)}</title>
<style>
body{font-family:"Noto Sans","Noto Sans CJK KR","Noto Sans CJK SC",system-ui,sans-serif;color:#1a202c;max-width:960px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #cbd5e0;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border:1px solid #e2e8f0;padding:.35em .5em;text-align:left;vertical-align:top}th{background:#f7fafc}
.badge{display:inline-block;padding:0 .5em;border-radius:.6em;color:#fff;font-size:.85em;text-transform:uppercase}
.pass{background:${COLORS.pass}}.warn{background:${COLORS.warn}}.fail{background:${COLORS.fail}}
.summary{font-size:1.1em;padding:.8em;border-left:6px solid ${COLORS[m.summary.verdict]};background:#f7fafc}
.offline{padding:.8em;background:#fff5f5;border:1px solid ${COLORS.fail}}.charts{display:flex;flex-wrap:wrap;gap:1em}
figure{margin:0}figcaption{font-size:.85em;color:#4a5568}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
</style></head><body>
<h1>${esc(t('report.title'))}</h1>
<dl><dt>${esc(t('report.site'))}</dt><dd>${esc(m.siteName)}</dd><dt>${esc(t('report.customer'))}</dt><dd>${esc(m.customerName)}</dd>
<dt>${esc(t('report.period'))}</dt><dd>${esc(period)}</dd><dt>${esc(t('report.generated'))}</dt><dd>${esc(formatDateTime(m.generatedAt, m.timeZone))} (${esc(m.timeZone)})</dd></dl>
<h2>${esc(t('report.summary'))}</h2>
<p class="summary"><span class="badge ${m.summary.verdict}">${esc(t(`report.verdict-label.${m.summary.verdict}`))}</span> ${esc(t(`report.verdict.${m.summary.verdict}`))} — ${esc(t('report.counts', m.summary))}</p>
${m.agentOnline ? '' : `<p class="offline">${esc(t('report.offline', { since: m.agentLastSeen === null ? '—' : formatDateTime(m.agentLastSeen, m.timeZone) }))}</p>`}
${problems.length > 0 ? `<h2>${esc(t('report.problems'))}</h2>
<table><thead><tr><th>${esc(t('report.col.area'))}</th><th>${esc(t('report.col.check'))}</th><th>${esc(t('report.col.subject'))}</th><th>${esc(t('report.col.result'))}</th><th>${esc(t('report.col.finding'))}</th><th>${esc(t('report.col.fix'))}</th></tr></thead>
<tbody>${problems.map((r) => row(r, true)).join('\n')}</tbody></table>` : ''}
<h2>${esc(t('report.charts'))}</h2>
<div class="charts">${charts}</div>
<h2>${esc(t('report.checks'))}</h2>
<table><thead><tr><th>${esc(t('report.col.area'))}</th><th>${esc(t('report.col.check'))}</th><th>${esc(t('report.col.subject'))}</th><th>${esc(t('report.col.result'))}</th><th>${esc(t('report.col.finding'))}</th></tr></thead>
<tbody>${sorted.map((r) => row(r, false)).join('\n')}</tbody></table>
<p><small>${esc(t('report.footer'))}</small></p>
</body></html>
`;
}

function chartSvg(title: string, points: readonly { t: number; v: number }[], empty: string): string {
  const w = 280;
  const h = 110;
  if (points.length === 0) return `<figure><svg width="${w}" height="${h + 20}" role="img" aria-label="${esc(title)}"><rect x="0" y="0" width="${w}" height="${h}" fill="#f7fafc" stroke="#e2e8f0"/><text x="${w / 2}" y="${h / 2}" text-anchor="middle" font-size="12" fill="#718096">${esc(empty)}</text></svg><figcaption>${esc(title)}</figcaption></figure>`;
  const pts = chartPoints(points, w - 40, h - 10).map((p) => ({ x: p.x + 35, y: p.y + 5 }));
  const { lo, hi } = seriesRange(points);
  const line = pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  return `<figure><svg width="${w}" height="${h + 20}" role="img" aria-label="${esc(title)}"><rect x="35" y="0" width="${w - 40}" height="${h}" fill="#f7fafc" stroke="#e2e8f0"/>
<text x="30" y="10" text-anchor="end" font-size="10">${hi}</text><text x="30" y="${h}" text-anchor="end" font-size="10">${lo}</text>
<polyline fill="none" stroke="#2b6cb0" stroke-width="2" points="${line}"/>${pts.map((p) => `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="2" fill="#2b6cb0"/>`).join('')}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}
