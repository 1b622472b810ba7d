/**
 * Fault tickets (`/api/tickets`): list, get (with events, linked alarms, attachments and the
 * SLA clocks computed now), open by hand, edit the problem record, transition along the
 * service process, assign, comment, attach files; the weekly/monthly service summary
 * (`/api/service-summary`, JSON or CSV); and a device's warranty end (`PATCH /api/devices/{id}`).
 *
 * Customers read their own tickets. The one write a customer may do is confirm its own
 * resolved ticket (`POST /api/tickets/{id}/transition {to: 'confirmed'}`); everything else
 * is for engineers and admins.
 */
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Static } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import type { TicketRow } from '../db/index.js';
import { forbidden, invalid, notFound } from '../errors.js';
import * as S from '../tickets/http-schemas.js';
import { toEventView, toTicketView } from '../tickets/records.js';
import { ticketSlaStatus } from '../tickets/sla.js';
import { serviceSummary, summaryCsv } from '../tickets/summary.js';
import { OPEN_STATES, TicketViewSchema } from '../tickets/types.js';
import { ListOf, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

/** base64 of 5 MB plus the JSON around it. */
const ATTACHMENT_BODY_LIMIT = Math.ceil((5 * 1024 * 1024 * 4) / 3) + 64 * 1024;

function visibleTicket(ctx: HubContext, req: FastifyRequest, id: number): TicketRow {
  const t = ctx.tickets.get(id);
  const scope = customerScope(principalOf(req));
  if (t === undefined || (scope !== null && t.customer_id !== scope)) throw notFound('ticket', id);
  return t;
}

function attachmentsOf(ctx: HubContext, id: number): Static<typeof S.Attachment>[] {
  return ctx.state.sqlite
    .prepare<[number], { id: number; ticket_id: number; name: string; mime: string; size: number; sha256: string; created_at: number; created_by: string | null }>(
      'select id, ticket_id, name, mime, size, sha256, created_at, created_by from ticket_attachments where ticket_id = ? order by id',
    )
    .all(id)
    .map((a) => ({ id: a.id, ticketId: a.ticket_id, name: a.name, mime: a.mime, size: a.size, sha256: a.sha256, createdAt: a.created_at, createdBy: a.created_by }));
}

function detail(ctx: HubContext, t: TicketRow): Static<typeof S.TicketDetail> {
  const sla = ticketSlaStatus(t, ctx.now());
  const clock = (c: NonNullable<typeof sla>['respond']) => ({ state: c.state, deadline: c.deadline, warnAt: c.warnAt, remainingMs: c.remainingMs, metAt: c.metAt });
  return {
    ...toTicketView(t),
    events: ctx.tickets.events(t.id).map(toEventView),
    alarms: ctx.tickets.alarms(t.id).map((l) => ({ alarmId: l.alarm_id, raisedAt: l.raised_at, clearedAt: l.cleared_at })),
    attachments: attachmentsOf(ctx, t.id),
    sla: sla === null ? null : { respond: clock(sla.respond), onSite: clock(sla.onSite), resolve: clock(sla.resolve) },
  };
}

export const ticketRoutes: RouteModule = (app, ctx) => {
  const tags = ['tickets'];
  const db = ctx.state.db;

  app.get(
    '/api/tickets',
    { config: { access: 'read' }, schema: { tags, summary: 'List tickets, newest first (a customer sees its own)', querystring: S.TicketQuery, response: withErrors({ 200: ListOf(TicketViewSchema) }) } },
    async (req) => {
      const f = req.query;
      const scope = customerScope(principalOf(req));
      let q = db.selectFrom('tickets').selectAll().orderBy('id', 'desc').limit(f.limit ?? 100);
      if (scope !== null) q = q.where('customer_id', '=', scope);
      if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
      if (f.state === 'open') q = q.where('state', 'in', [...OPEN_STATES]);
      else if (f.state !== undefined) q = q.where('state', '=', f.state);
      if (f.siteId !== undefined) q = q.where('site_id', '=', f.siteId);
      if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
      if (f.deviceId !== undefined) q = q.where('device_id', '=', f.deviceId);
      if (f.recurring !== undefined) q = q.where('recurring', '=', f.recurring ? 1 : 0);
      if (f.before !== undefined) q = q.where('id', '<', f.before);
      if (f.q !== undefined) {
        const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(sql<boolean>`(number like ${like} escape '\\' or title like ${like} escape '\\' or description like ${like} escape '\\' or fault_type like ${like} escape '\\')`);
      }
      return { items: (await q.execute()).map(toTicketView) };
    },
  );

  app.get(
    '/api/tickets/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get a ticket with its events, linked alarms, attachments and SLA clocks', params: S.TicketParams, response: withErrors({ 200: S.TicketDetail }) } },
    async (req) => detail(ctx, visibleTicket(ctx, req, req.params.id)),
  );

  app.post(
    '/api/tickets',
    { config: { access: 'write' }, schema: { tags, summary: 'Open a ticket by hand (a phone call or web request)', body: S.ManualTicketBody, response: withErrors({ 201: S.TicketDetail }) } },
    async (req, reply) => {
      const b = req.body;
      const site = await db.selectFrom('sites').select(['id', 'customer_id']).where('id', '=', b.siteId).executeTakeFirst();
      if (site === undefined) throw invalid('body.siteId', `site ${b.siteId} does not exist`);
      let device: { agent_id: string; device_id: string } | undefined;
      if (b.deviceId !== undefined) {
        device = await db
          .selectFrom('devices as d')
          .innerJoin('agents as a', 'a.id', 'd.agent_id')
          .select(['d.agent_id', 'd.device_id'])
          .where('d.id', '=', b.deviceId)
          .where('a.site_id', '=', site.id)
          .executeTakeFirst();
        if (device === undefined) throw invalid('body.deviceId', `device ${b.deviceId} is not on site ${site.id}`);
      }
      const t = ctx.tickets.openManual(
        {
          siteId: site.id,
          customerId: site.customer_id,
          agentId: device?.agent_id ?? null,
          deviceId: device?.device_id ?? null,
          title: b.title,
          description: b.description,
          severity: b.severity,
          channel: b.channel,
          devicePk: b.deviceId,
          faultType: b.faultType,
          problemType: b.problemType,
        },
        actorOf(req),
      );
      return reply.code(201).send(detail(ctx, t));
    },
  );

  app.patch(
    '/api/tickets/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Edit the problem record (title, description, problem type, location, cause, solution)', params: S.TicketParams, body: S.PatchTicketBody, response: withErrors({ 200: S.TicketDetail }) } },
    async (req) => {
      const t = visibleTicket(ctx, req, req.params.id);
      const b = req.body;
      const set = {
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.problemType !== undefined ? { problem_type: b.problemType } : {}),
        ...(b.location !== undefined ? { location: b.location } : {}),
        ...(b.cause !== undefined ? { cause: b.cause } : {}),
        ...(b.solution !== undefined ? { solution: b.solution } : {}),
      };
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('tickets').set({ ...set, updated_at: now }).where('id', '=', t.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'ticket.update', entity: 'ticket', entityId: t.id, details: { ...b } });
      });
      return detail(ctx, visibleTicket(ctx, req, t.id));
    },
  );

  app.post(
    '/api/tickets/:id/transition',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Move a ticket along the service process (a customer may only confirm its own resolved ticket)', params: S.TicketParams, body: S.TransitionBody, response: withErrors({ 200: S.TicketDetail }) },
    },
    async (req) => {
      const t = visibleTicket(ctx, req, req.params.id);
      const p = principalOf(req);
      if (p.role === 'customer' && req.body.to !== 'confirmed') throw forbidden('a customer may only confirm a resolved ticket (to: confirmed)');
      return detail(ctx, ctx.tickets.transition(t.id, req.body, actorOf(req)));
    },
  );

  app.post(
    '/api/tickets/:id/assign',
    { config: { access: 'write' }, schema: { tags, summary: 'Assign a ticket to an engineer (a new ticket moves to assigned)', params: S.TicketParams, body: S.AssignBody, response: withErrors({ 200: S.TicketDetail }) } },
    async (req) => detail(ctx, ctx.tickets.assign(visibleTicket(ctx, req, req.params.id).id, req.body.userId, actorOf(req))),
  );

  app.post(
    '/api/tickets/:id/comments',
    { config: { access: 'write' }, schema: { tags, summary: 'Comment on a ticket', params: S.TicketParams, body: S.CommentBody, response: withErrors({ 201: S.TicketDetail }) } },
    async (req, reply) => reply.code(201).send(detail(ctx, ctx.tickets.comment(visibleTicket(ctx, req, req.params.id).id, req.body.text, actorOf(req)))),
  );

  app.post(
    '/api/tickets/:id/attachments',
    {
      bodyLimit: ATTACHMENT_BODY_LIMIT,
      config: { access: 'write' },
      schema: { tags, summary: 'Attach a file (base64 in JSON, at most 5 MB decoded)', params: S.TicketParams, body: S.AttachmentBody, response: withErrors({ 201: S.Attachment }) },
    },
    async (req, reply) => {
      const t = visibleTicket(ctx, req, req.params.id);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(req.body.data)) throw invalid('body.data', 'is not base64');
      const data = Buffer.from(req.body.data, 'base64');
      return reply.code(201).send(ctx.tickets.attach(t.id, { name: req.body.name, mime: req.body.mime, data }, actorOf(req)));
    },
  );

  app.get(
    '/api/tickets/:id/attachments/:aid',
    { config: { access: 'read' }, schema: { tags, summary: 'Download an attachment (its bytes, with its MIME type)', params: S.AttachmentParams } },
    async (req, reply) => {
      const t = visibleTicket(ctx, req, req.params.id);
      const a = ctx.state.sqlite
        .prepare<[number, number], { name: string; mime: string; data: Buffer }>('select name, mime, data from ticket_attachments where id = ? and ticket_id = ?')
        .get(req.params.aid, t.id);
      if (a === undefined) throw notFound('attachment', req.params.aid);
      return reply
        .type(a.mime)
        .header('content-disposition', `attachment; filename="${a.name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`)
        .send(a.data);
    },
  );

  app.get(
    '/api/service-summary',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Weekly or monthly service summary: counts by fault type and state, SLA compliance, recurring problems, mean times; CSV with Accept: text/csv', querystring: S.SummaryQuery },
    },
    async (req, reply) => {
      const scope = customerScope(principalOf(req));
      const customerId = scope ?? req.query.customerId ?? null;
      const s = serviceSummary(ctx.state.sqlite, { period: req.query.period, at: req.query.at ?? ctx.now(), customerId, now: ctx.now() });
      if ((req.headers.accept ?? '').includes('text/csv')) {
        const name = `service-summary-${s.period}-${new Date(s.from).toISOString().slice(0, 10)}.csv`;
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(summaryCsv(s));
      }
      return s;
    },
  );

  app.patch(
    '/api/devices/:id',
    { config: { access: 'write' }, schema: { tags: ['devices'], summary: "Set a device's warranty end (tickets show in/out of warranty from it)", params: S.DeviceParams, body: S.WarrantyBody, response: withErrors({ 200: S.WarrantyView }) } },
    async (req) => {
      const d = await db.selectFrom('devices').select(['id', 'agent_id', 'device_id']).where('id', '=', req.params.id).executeTakeFirst();
      if (d === undefined) throw notFound('device', req.params.id);
      const now = ctx.now();
      const end = req.body.warrantyEnd;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('devices').set({ warranty_end: end }).where('id', '=', d.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'device.warranty', entity: 'device', entityId: d.id, details: { warrantyEnd: end } });
      });
      return { id: d.id, agentId: d.agent_id, deviceId: d.device_id, warrantyEnd: end, warranty: end === null ? 'unknown' : now <= end ? 'in' : 'out' } as const;
    },
  );
};
