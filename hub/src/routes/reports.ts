/** Inspection reports: list, the PDF and the HTML, and re-send by mail (customers see their own). */
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import { notFound } from '../errors.js';
import { inspectionsOf } from '../inspections/index.js';
import { Id, IdParams, ListOf, Ms, Nullable, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const Report = Type.Object({
  id: Type.String(),
  inspectionId: Type.String(),
  siteId: Id,
  customerId: Id,
  language: Type.String(),
  title: Type.String(),
  createdAt: Ms,
  pdfBytes: Type.Integer(),
  pdfMs: Nullable(Type.Integer({ description: 'time it took to render the PDF' })),
  mailedAt: Nullable(Ms),
  mailedTo: Type.Array(Type.String()),
  mailError: Nullable(Type.String()),
  sends: Type.Integer(),
});

export const reportRoutes: RouteModule = (app, ctx) => {
  const reports = inspectionsOf(ctx).reports;
  const tags = ['reports'];

  const visible = async (req: Parameters<typeof principalOf>[0], id: string, kind: 'pdf' | 'html') => {
    const c = await reports.content(id, kind);
    const scope = customerScope(principalOf(req));
    if (c === undefined || (scope !== null && scope !== c.customerId)) throw notFound('report', id);
    return c;
  };

  app.get(
    '/api/reports',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Inspection reports, newest first (customers see their own)', querystring: Type.Object({ siteId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }), response: withErrors({ 200: ListOf(Report) }) },
    },
    async (req) => {
      const scope = customerScope(principalOf(req));
      return { items: await reports.list({ customerId: scope ?? undefined, siteId: req.query.siteId, ...(req.query.limit ? { limit: req.query.limit } : {}) }) };
    },
  );

  app.get(
    '/api/reports/:id/pdf',
    { config: { access: 'read' }, schema: { tags, summary: 'The report as PDF', params: IdParams, response: withErrors({ 200: Type.Unknown({ description: 'application/pdf' }) }) } },
    async (req, reply) => {
      const c = await visible(req, req.params.id, 'pdf');
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${req.params.id}.pdf"`).send(c.body);
    },
  );

  app.get(
    '/api/reports/:id/html',
    { config: { access: 'read' }, schema: { tags, summary: 'The report as HTML', params: IdParams, response: withErrors({ 200: Type.Unknown({ description: 'text/html' }) }) } },
    async (req, reply) => {
      const c = await visible(req, req.params.id, 'html');
      return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'").send(c.body);
    },
  );

  app.post(
    '/api/reports/:id/send',
    { config: { access: 'write' }, schema: { tags, summary: 'Mail the report again to the site’s customer contacts', params: IdParams, response: withErrors({ 200: Report }) } },
    async (req) => {
      await visible(req, req.params.id, 'html');
      const r = await reports.mail(req.params.id);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'report.send', entity: 'report', entityId: r.id, details: { to: r.mailedTo.length, error: r.mailError } });
      return r;
    },
  );
};
