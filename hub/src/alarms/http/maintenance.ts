/**
 * Maintenance windows of a site (`/api/sites/{id}/maintenance`): alarms raised on the site
 * inside a window are recorded but not announced (see alarms/maintenance.ts). Engineers
 * and admins manage them; customer users read their own sites' windows.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { writeAudit } from '../../audit/log.js';
import type { HubContext } from '../../context.js';
import type { MaintenanceWindowRow } from '../../db/index.js';
import { invalid, notFound } from '../../errors.js';
import { visibleSite } from '../../routes/sites.js';
import { IdParams, ListOf, withErrors } from '../../routes/schemas.js';
import { actorOf, principalOf, type HubApp } from '../../routes/types.js';
import { WindowBody, WindowParams, WindowView } from './schemas.js';

const toWindow = (w: MaintenanceWindowRow) => ({ id: w.id, siteId: w.site_id, startsAt: w.starts_at, endsAt: w.ends_at, reason: w.reason, createdBy: w.created_by, createdAt: w.created_at });

function checkSpan(b: { startsAt: number; endsAt: number }): void {
  if (b.endsAt <= b.startsAt) throw invalid('body.endsAt', 'must be after startsAt');
}

async function windowOf(ctx: HubContext, req: FastifyRequest, siteId: string, windowId: number): Promise<MaintenanceWindowRow> {
  const site = await visibleSite(ctx, req, siteId);
  const row = await ctx.state.db.selectFrom('maintenance_windows').selectAll().where('id', '=', windowId).where('site_id', '=', site.id).executeTakeFirst();
  if (row === undefined) throw notFound('maintenance window', windowId);
  return row;
}

export function maintenanceRoutes(app: HubApp, ctx: HubContext): void {
  const tags = ['maintenance'];
  const db = ctx.state.db;
  const audit = (req: FastifyRequest, action: string, w: { id: number; site_id: string }, details: Record<string, unknown>) =>
    writeAudit(db, { at: ctx.now(), actor: actorOf(req), action, entity: 'maintenance-window', entityId: w.id, details: { siteId: w.site_id, ...details } });

  app.get(
    '/api/sites/:id/maintenance',
    { config: { access: 'read' }, schema: { tags, summary: 'Maintenance windows of a site, latest start first', params: IdParams, response: withErrors({ 200: ListOf(WindowView) }) } },
    async (req) => {
      const site = await visibleSite(ctx, req, req.params.id);
      const rows = await db.selectFrom('maintenance_windows').selectAll().where('site_id', '=', site.id).orderBy('starts_at', 'desc').limit(500).execute();
      return { items: rows.map(toWindow) };
    },
  );

  app.post(
    '/api/sites/:id/maintenance',
    { config: { access: 'write' }, schema: { tags, summary: 'Plan a maintenance window: alarms raised inside it are recorded, not announced', params: IdParams, body: WindowBody, response: withErrors({ 201: WindowView }) } },
    async (req, reply) => {
      checkSpan(req.body);
      const site = await visibleSite(ctx, req, req.params.id);
      const row = await db
        .insertInto('maintenance_windows')
        .values({ site_id: site.id, starts_at: req.body.startsAt, ends_at: req.body.endsAt, reason: req.body.reason ?? null, created_by: principalOf(req).userId, created_at: ctx.now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(req, 'maintenance.create', row, { ...req.body });
      ctx.alarms.maintenanceChanged(site.id);
      return reply.code(201).send(toWindow(row));
    },
  );

  app.put(
    '/api/sites/:id/maintenance/:windowId',
    { config: { access: 'write' }, schema: { tags, summary: 'Change a maintenance window', params: WindowParams, body: WindowBody, response: withErrors({ 200: WindowView }) } },
    async (req) => {
      checkSpan(req.body);
      const cur = await windowOf(ctx, req, req.params.id, req.params.windowId);
      const row = await db
        .updateTable('maintenance_windows')
        .set({ starts_at: req.body.startsAt, ends_at: req.body.endsAt, reason: req.body.reason ?? null })
        .where('id', '=', cur.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(req, 'maintenance.update', row, { ...req.body });
      ctx.alarms.maintenanceChanged(row.site_id);
      return toWindow(row);
    },
  );

  app.delete(
    '/api/sites/:id/maintenance/:windowId',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a maintenance window (alarms it held back are announced)', params: WindowParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await windowOf(ctx, req, req.params.id, req.params.windowId);
      await db.deleteFrom('maintenance_windows').where('id', '=', cur.id).execute();
      await audit(req, 'maintenance.delete', cur, { startsAt: cur.starts_at, endsAt: cur.ends_at });
      ctx.alarms.maintenanceChanged(cur.site_id);
      return reply.code(204).send(null);
    },
  );
}
