/**
 * Sites (an installation of a customer): CRUD for admins and engineers; customer users read
 * their own customer's sites only — another customer's site answers 404. A site with active
 * agents cannot be deleted; deleting one whose agents are all revoked removes them too.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import type { Site as SiteRow } from '../db/index.js';
import { conflict, invalid, notFound } from '../errors.js';
import { Id, IdParams, ListOf, Name, Nullable, Site, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';
import { readableId } from './ids.js';

const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai', default: 'UTC' });
const Address = Type.String({ maxLength: 500 });
const CreateSite = Type.Object({ customerId: Id, name: Name, timezone: Type.Optional(TimeZone), address: Type.Optional(Nullable(Address)) }, { additionalProperties: false });
const PatchSite = Type.Object(
  { name: Type.Optional(Name), timezone: Type.Optional(TimeZone), address: Type.Optional(Nullable(Address)) },
  { additionalProperties: false, minProperties: 1 },
);
const SiteQuery = Type.Object({ customerId: Type.Optional(Id) }, { additionalProperties: false });

export const toSite = (s: SiteRow) => ({
  id: s.id,
  customerId: s.customer_id,
  name: s.name,
  timezone: s.timezone,
  address: s.address,
  createdAt: s.created_at,
  updatedAt: s.updated_at,
});

function checkTimeZone(tz: string | undefined): void {
  if (tz === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw invalid('body.timezone', `${JSON.stringify(tz)} is not an IANA time zone (e.g. Europe/Berlin, UTC)`);
  }
}

/** The site, if the caller may see it; 404 otherwise. */
export async function visibleSite(ctx: HubContext, req: FastifyRequest, id: string): Promise<SiteRow> {
  const scope = customerScope(principalOf(req));
  const row = await ctx.state.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || (scope !== null && scope !== row.customer_id)) throw notFound('site', id);
  return row;
}

export const siteRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['sites'];

  app.get(
    '/api/sites',
    { config: { access: 'read' }, schema: { tags, summary: 'List sites', querystring: SiteQuery, response: withErrors({ 200: ListOf(Site) }) } },
    async (req) => {
      const scope = customerScope(principalOf(req));
      let q = db.selectFrom('sites').selectAll().orderBy('name');
      if (scope !== null) q = q.where('customer_id', '=', scope);
      if (req.query.customerId !== undefined) q = q.where('customer_id', '=', req.query.customerId);
      return { items: (await q.execute()).map(toSite) };
    },
  );

  app.post(
    '/api/sites',
    { config: { access: 'write' }, schema: { tags, summary: 'Create a site', body: CreateSite, response: withErrors({ 201: Site }) } },
    async (req, reply) => {
      const b = req.body;
      checkTimeZone(b.timezone);
      const customer = await db.selectFrom('customers').select('id').where('id', '=', b.customerId).executeTakeFirst();
      if (customer === undefined) throw invalid('body.customerId', `customer ${b.customerId} does not exist`);
      const now = ctx.now();
      const row: SiteRow = { id: readableId(b.name, 'site', 24), customer_id: b.customerId, name: b.name, timezone: b.timezone ?? 'UTC', address: b.address ?? null, created_at: now, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('sites').values(row).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'site.create', entity: 'site', entityId: row.id, details: { ...b } });
      });
      return reply.code(201).send(toSite(row));
    },
  );

  app.get(
    '/api/sites/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get a site', params: IdParams, response: withErrors({ 200: Site }) } },
    async (req) => toSite(await visibleSite(ctx, req, req.params.id)),
  );

  app.patch(
    '/api/sites/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Update a site', params: IdParams, body: PatchSite, response: withErrors({ 200: Site }) } },
    async (req) => {
      checkTimeZone(req.body.timezone);
      const cur = await visibleSite(ctx, req, req.params.id);
      const now = ctx.now();
      const next: SiteRow = { ...cur, ...req.body, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('sites').set({ name: next.name, timezone: next.timezone, address: next.address, updated_at: now }).where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'site.update', entity: 'site', entityId: cur.id, details: { changes: { ...req.body } } });
      });
      return toSite(next);
    },
  );

  app.delete(
    '/api/sites/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a site whose agents are all revoked', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await visibleSite(ctx, req, req.params.id);
      const active = await db.selectFrom('agents').select('id').where('site_id', '=', cur.id).where('revoked_at', 'is', null).executeTakeFirst();
      if (active !== undefined) throw conflict(`site ${cur.id} still has active agents (e.g. ${active.id}); revoke them first`);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        // Revoked agents (and their devices, by cascade) go with the site.
        await trx.deleteFrom('agents').where('site_id', '=', cur.id).execute();
        await trx.deleteFrom('sites').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'site.delete', entity: 'site', entityId: cur.id, details: { name: cur.name, customerId: cur.customer_id } });
      });
      return reply.code(204).send(null);
    },
  );
};
