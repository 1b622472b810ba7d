/**
 * Reports of inspections: rendered once (HTML and PDF) and stored with the inspection,
 * mailed to the site's customer contacts, re-sendable, listed per customer.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { HubContext } from '../context.js';
import { summarize } from '../inspections/checks/index.js';
import type { CheckResult, PeriodData } from '../inspections/checks/types.js';
import '../inspections/tables.js';
import { translator } from './catalogue.js';
import { renderHtml } from './html.js';
import { smtpReportMailer, type ReportMailer } from './mail.js';
import { formatDate, type ReportModel } from './model.js';
import { renderPdf } from './pdf.js';

export interface ReportView {
  id: string;
  inspectionId: string;
  siteId: string;
  customerId: string;
  language: string;
  title: string;
  createdAt: number;
  pdfBytes: number;
  pdfMs: number | null;
  mailedAt: number | null;
  mailedTo: string[];
  mailError: string | null;
  sends: number;
}

export interface ReportFacts {
  inspectionId: string;
  siteId: string;
  agentOnline: boolean;
  agentLastSeen: number | null;
  periodStart: number;
  periodEnd: number;
  results: CheckResult[];
  series: PeriodData['series'];
}

export class ReportService {
  readonly #mailer: ReportMailer;

  constructor(private readonly ctx: HubContext, mailer?: ReportMailer) {
    this.#mailer = mailer ?? smtpReportMailer(ctx.config.smtp);
  }

  async create(input: ReportFacts): Promise<ReportView> {
    const { db } = this.ctx.state;
    const site = await db.selectFrom('sites').innerJoin('customers', 'customers.id', 'sites.customer_id').select(['sites.name as site', 'sites.timezone', 'customers.id as customerId', 'customers.name as customer', 'customers.language']).where('sites.id', '=', input.siteId).executeTakeFirstOrThrow();
    const language = translator(site.language).language;
    const model: ReportModel = {
      siteName: site.site,
      customerName: site.customer,
      language,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      generatedAt: this.ctx.now(),
      timeZone: site.timezone,
      agentOnline: input.agentOnline,
      agentLastSeen: input.agentLastSeen,
      summary: summarize(input.results),
      results: input.results,
      series: input.series,
    };
    const html = renderHtml(model);
    const started = performance.now();
    const pdf = await renderPdf(model, { fontPath: this.ctx.config.reports.fontPath });
    const pdfMs = Math.round(performance.now() - started);
    const { t } = translator(language);
    const title = `${t('report.title')} — ${site.site} — ${formatDate(input.periodStart, site.timezone).slice(0, 7)}`;
    const id = `rpt-${randomBytes(6).toString('hex')}`;
    await db
      .insertInto('reports')
      .values({ id, inspection_id: input.inspectionId, site_id: input.siteId, customer_id: site.customerId, language, title, html, pdf, pdf_ms: pdfMs, created_at: model.generatedAt, mailed_at: null, mailed_to: null, mail_error: null, sends: 0 })
      .execute();
    return (await this.get(id)) as ReportView;
  }

  /** Mails the report to the customer contacts of its site; records the outcome, never throws. */
  async mail(id: string): Promise<ReportView> {
    const { db } = this.ctx.state;
    const r = await db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const contacts = await db
      .selectFrom('contacts')
      .select('email')
      .where('customer_id', '=', r.customer_id)
      .where((eb) => eb.or([eb('site_id', 'is', null), eb('site_id', '=', r.site_id)]))
      .where('email', 'is not', null)
      .execute();
    const to = [...new Set(contacts.map((c) => c.email as string))];
    let error: string | null = null;
    if (to.length === 0) error = 'the customer has no contact with an email address';
    else if (!this.#mailer.configured) error = 'smtp.host and smtp.from are not set';
    else {
      const site = await db.selectFrom('sites').select(['name', 'timezone']).where('id', '=', r.site_id).executeTakeFirstOrThrow();
      const insp = await db.selectFrom('inspections').select(['period_start', 'period_end', 'summary']).where('id', '=', r.inspection_id).executeTakeFirstOrThrow();
      const summary = JSON.parse(insp.summary ?? '{"pass":0,"warn":0,"fail":0,"verdict":"warn"}') as ReturnType<typeof summarize>;
      const { t } = translator(r.language);
      const verdict = t(`report.verdict.${summary.verdict}`);
      const params = { site: site.name, verdict, counts: t('report.counts', summary), period: `${formatDate(insp.period_start, site.timezone)} – ${formatDate(insp.period_end - 1, site.timezone)}` };
      try {
        await this.#mailer.send({ to, subject: t('mail.subject', params), text: t('mail.body', params), html: r.html, pdf: r.pdf, filename: `inspection-${site.name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${formatDate(insp.period_start, site.timezone).slice(0, 7)}.pdf` });
      } catch (err) {
        error = (err as Error).message.slice(0, 1000);
      }
    }
    await db
      .updateTable('reports')
      .set(error === null ? { mailed_at: this.ctx.now(), mailed_to: JSON.stringify(to), mail_error: null, sends: r.sends + 1 } : { mail_error: error })
      .where('id', '=', id)
      .execute();
    if (error !== null) this.ctx.log.warn({ reportId: id, error }, 'inspection report not mailed');
    else this.ctx.log.info({ reportId: id, to: to.length }, 'inspection report mailed');
    return (await this.get(id)) as ReportView;
  }

  async get(id: string): Promise<ReportView | undefined> {
    const row = await this.ctx.state.db.selectFrom('reports').select([...VIEW_COLUMNS, sql<number>`length(pdf)`.as('pdf_bytes')]).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  async list(filter: { customerId?: string | undefined; siteId?: string | undefined; limit?: number }): Promise<ReportView[]> {
    let q = this.ctx.state.db.selectFrom('reports').select([...VIEW_COLUMNS, sql<number>`length(pdf)`.as('pdf_bytes')]).orderBy('created_at', 'desc').limit(filter.limit ?? 100);
    if (filter.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
    if (filter.siteId !== undefined) q = q.where('site_id', '=', filter.siteId);
    return (await q.execute()).map(toView);
  }

  async content(id: string, kind: 'pdf' | 'html'): Promise<{ customerId: string; body: Buffer | string; title: string } | undefined> {
    const row = await this.ctx.state.db.selectFrom('reports').select(['customer_id', 'pdf', 'html', 'title']).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : { customerId: row.customer_id, body: kind === 'pdf' ? row.pdf : row.html, title: row.title };
  }
}

const VIEW_COLUMNS = ['id', 'inspection_id', 'site_id', 'customer_id', 'language', 'title', 'created_at', 'pdf_ms', 'mailed_at', 'mailed_to', 'mail_error', 'sends'] as const;

function toView(r: { id: string; inspection_id: string; site_id: string; customer_id: string; language: string; title: string; created_at: number; pdf_ms: number | null; mailed_at: number | null; mailed_to: string | null; mail_error: string | null; sends: number; pdf_bytes?: number }): ReportView {
  return {
    id: r.id,
    inspectionId: r.inspection_id,
    siteId: r.site_id,
    customerId: r.customer_id,
    language: r.language,
    title: r.title,
    createdAt: r.created_at,
    pdfBytes: r.pdf_bytes ?? 0,
    pdfMs: r.pdf_ms,
    mailedAt: r.mailed_at,
    mailedTo: r.mailed_to === null ? [] : (JSON.parse(r.mailed_to) as string[]),
    mailError: r.mail_error,
    sends: r.sends,
  };
}
