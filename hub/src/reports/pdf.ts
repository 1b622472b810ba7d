/**
 * The PDF report, made in-process with pdfkit (no browser on the hub host): summary
 * first, then problems with their fixes, charts of the month drawn with vector
 * primitives, and every check. With no `fontPath`, the built-in Helvetica is used (Latin
 * text only); for Korean or Chinese reports set a CJK font such as Noto Sans CJK.
 */
import PDFDocument from 'pdfkit';
import type { CheckResult } from '../inspections/checks/types.js';
import { translator } from './catalogue.js';
import { AREA_ORDER, chartPoints, formatDate, formatDateTime, problemsOf, seriesRange, type ReportModel } from './model.js';

const COLORS = { pass: '#1b7f3b', warn: '#b7791f', fail: '#c53030' } as const;

export interface PdfOptions {
  /** A TTF/OTF/TTC font covering the report's language (CJK: Noto Sans CJK). */
  fontPath?: string | undefined;
  /** Fixed creation date (reproducible output in tests). */
  creationDate?: Date;
}

/** Standard PDF fonts only encode WinAnsi: arrows and the like become ASCII. */
const winAnsi = (s: string): string => s.replace(/→/g, '->').replace(/[^\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac]/g, '?');

export function renderPdf(m: ReportModel, opts: PdfOptions = {}): Promise<Buffer> {
  const { t } = translator(m.language);
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `${t('report.title')} — ${m.siteName}`, Author: 'ledwatch', CreationDate: opts.creationDate ?? new Date(m.generatedAt) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const custom = opts.fontPath !== undefined;
  if (custom) doc.registerFont('body', opts.fontPath as string);
  const font = custom ? 'body' : 'Helvetica';
  const bold = custom ? 'body' : 'Helvetica-Bold';
  const txt = (s: string): string => (custom ? s : winAnsi(s));
  const width = doc.page.width - 100;

  doc.font(bold).fontSize(20).fillColor('#1a202c').text(txt(t('report.title')));
  doc.moveDown(0.3).font(font).fontSize(11);
  const period = `${formatDate(m.periodStart, m.timeZone)} – ${formatDate(m.periodEnd - 1, m.timeZone)}`;
  for (const [k, v] of [['report.site', m.siteName], ['report.customer', m.customerName], ['report.period', period], ['report.generated', `${formatDateTime(m.generatedAt, m.timeZone)} (${m.timeZone})`]] as const) {
    doc.font(bold).text(txt(`${t(k)}: `), { continued: true }).font(font).text(txt(v));
  }

  heading(doc, bold, txt(t('report.summary')));
  doc.rect(50, doc.y, 6, 34).fill(COLORS[m.summary.verdict]);
  doc.fillColor('#1a202c').font(bold).fontSize(13).text(txt(t(`report.verdict.${m.summary.verdict}`)), 64, doc.y + 2);
  doc.font(font).fontSize(11).text(txt(t('report.counts', m.summary)), 64);
  doc.x = 50;
  if (!m.agentOnline) {
    doc.moveDown(0.5).fillColor(COLORS.fail).font(bold).text(txt(t('report.offline', { since: m.agentLastSeen === null ? '—' : formatDateTime(m.agentLastSeen, m.timeZone) })), { width });
    doc.fillColor('#1a202c').font(font);
  }

  const problems = problemsOf(m.results);
  if (problems.length > 0) {
    heading(doc, bold, txt(t('report.problems')));
    for (const r of problems) result(doc, r, true);
  }

  heading(doc, bold, txt(t('report.charts')));
  let x = 50;
  const top = doc.y;
  for (const s of m.series) {
    chart(doc, x, top, 150, 90, txt(t(`report.chart.${s.name}`)), s.points, txt(t('report.chart.empty')), font);
    x += 165;
  }
  doc.x = 50;
  doc.y = top + 125;

  heading(doc, bold, txt(t('report.checks')));
  for (const r of [...m.results].sort((a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area))) result(doc, r, false);
  doc.moveDown(1).fontSize(8).fillColor('#718096').text(txt(t('report.footer')));
  doc.end();
  return done;

  function result(d: PDFKit.PDFDocument, r: CheckResult, withFix: boolean): void {
    if (d.y > d.page.height - 120) d.addPage();
    const y = d.y + 3;
    d.roundedRect(50, y, 38, 13, 4).fill(COLORS[r.verdict]);
    d.fillColor('#ffffff').font(bold).fontSize(8).text(r.verdict.toUpperCase(), 50, y + 3, { width: 38, align: 'center' });
    const title = `${t(`report.area.${r.area}`)} · ${t(`${r.check}.title`)}${r.subject ? ` (${r.subject})` : ''}`;
    d.fillColor('#1a202c').font(bold).fontSize(10).text(txt(title), 95, y, { width: width - 45 });
    d.font(font).fontSize(10).text(txt(t(r.finding.key, r.finding.params)), 95, d.y, { width: width - 45 });
    if (r.repeated) d.fillColor(COLORS.fail).text(txt(t('report.repeated')), 95, d.y, { width: width - 45 }).fillColor('#1a202c');
    if (withFix && r.fix) d.fillColor('#2b6cb0').text(txt(`${t('report.col.fix')}: ${t(r.fix.key, r.fix.params)}`), 95, d.y, { width: width - 45 }).fillColor('#1a202c');
    d.x = 50;
    d.moveDown(0.4);
  }
}

function heading(doc: PDFKit.PDFDocument, bold: string, text: string): void {
  if (doc.y > doc.page.height - 150) doc.addPage();
  doc.moveDown(0.8).font(bold).fontSize(14).fillColor('#1a202c').text(text, 50);
  doc.moveTo(50, doc.y + 2).lineTo(doc.page.width - 50, doc.y + 2).strokeColor('#cbd5e0').lineWidth(1).stroke();
  doc.moveDown(0.5);
}

function chart(doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number, title: string, points: readonly { t: number; v: number }[], empty: string, font: string): void {
  doc.rect(x, y, w, h).fillAndStroke('#f7fafc', '#e2e8f0');
  doc.fillColor('#4a5568').font(font).fontSize(8);
  if (points.length === 0) {
    doc.text(empty, x, y + h / 2 - 4, { width: w, align: 'center' });
  } else {
    const pts = chartPoints(points, w - 10, h - 10).map((p) => ({ x: p.x + x + 5, y: p.y + y + 5 }));
    const { lo, hi } = seriesRange(points);
    doc.text(String(hi), x + 2, y + 2).text(String(lo), x + 2, y + h - 10);
    const [first, ...rest] = pts;
    if (first !== undefined) {
      doc.moveTo(first.x, first.y);
      for (const p of rest) doc.lineTo(p.x, p.y);
      doc.strokeColor('#2b6cb0').lineWidth(1.5).stroke();
      for (const p of pts) doc.circle(p.x, p.y, 1.5).fill('#2b6cb0');
    }
  }
  doc.fillColor('#1a202c').fontSize(8).text(title, x, y + h + 4, { width: w });
}
