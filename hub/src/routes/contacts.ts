/**
 * Contacts of a customer (optionally of one of its sites): the people who receive reports
 * and fault notices. CRUD for admins and engineers; customer users read their own.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import type { Contact as ContactRow, DB } from '../db/index.js';
import { invalid, notFound } from '../errors.js';
import { Contact, Email, Id, IdParams, ListOf, Name, Nullable, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const Phone = Type.String({ minLength: 1, maxLength: 64 });
const ContactRole = Type.String({ minLength: 1, maxLength: 100, description: 'e.g. facility manager, IT' });
const CreateContact = Type.Object(
  {
    customerId: Id,
    siteId: Type.Optional(Nullable(Id)),
    name: Name,
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Phone)),
    role: Type.Optional(Nullable(ContactRole)),
  },
  { additionalProperties: false },
);
const PatchContact = Type.Object(
  {
    siteId: Type.Optional(Nullable(Id)),
    name: Type.Optional(Name),
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Phone)),
    role: Type.Optional(Nullable(ContactRole)),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ContactQuery = Type.Object({ customerId: Type.Optional(Id), siteId: Type.Optional(Id) }, { additionalProperties: false });

export const toContact = (c: ContactRow) => ({
  id: c.id,
  customerId: c.customer_id,
  siteId: c.site_id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  role: c.role,
  createdAt: c.created_at,
});

async function checkSiteOfCustomer(db: Kysely<DB>, customerId: string, siteId: string | null | undefined): Promise<void> {
  if (siteId === null || siteId === undefined) return;
  const site = await db.selectFrom('sites').select('customer_id').where('id', '=', siteId).executeTakeFirst();
  if (site === undefined || site.customer_id !== customerId) throw invalid('body.siteId', `site ${siteId} is not a site of customer ${customerId}`);
}

async function visibleContact(ctx: HubContext, req: FastifyRequest, id: string): Promise<ContactRow> {
  const scope = customerScope(principalOf(req));
  const row = await ctx.state.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || (scope !== null && scope !== row.customer_id)) throw notFound('contact', id);
  return row;
}

export const contactRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['contacts'];

  app.get(
    '/api/contacts',
    { config: { access: 'read' }, schema: { tags, summary: 'List contacts', querystring: ContactQuery, response: withErrors({ 200: ListOf(Contact) }) } },
    async (req) => {
      const scope = customerScope(principalOf(req));
      let q = db.selectFrom('contacts').selectAll().orderBy('name');
      if (scope !== null) q = q.where('customer_id', '=', scope);
      if (req.query.customerId !== undefined) q = q.where('customer_id', '=', req.query.customerId);
      if (req.query.siteId !== undefined) q = q.where('site_id', '=', req.query.siteId);
      return { items: (await q.execute()).map(toContact) };
    },
  );

  app.post(
    '/api/contacts',
    { config: { access: 'write' }, schema: { tags, summary: 'Create a contact', body: CreateContact, response: withErrors({ 201: Contact }) } },
    async (req, reply) => {
      const b = req.body;
      const customer = await db.selectFrom('customers').select('id').where('id', '=', b.customerId).executeTakeFirst();
      if (customer === undefined) throw invalid('body.customerId', `customer ${b.customerId} does not exist`);
      await checkSiteOfCustomer(db, b.customerId, b.siteId);
      const now = ctx.now();
      const row: ContactRow = {
        id: randomUUID(),
        customer_id: b.customerId,
        site_id: b.siteId ?? null,
        name: b.name,
        email: b.email ?? null,
        phone: b.phone ?? null,
        role: b.role ?? null,
        created_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('contacts').values(row).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'contact.create', entity: 'contact', entityId: row.id, details: { ...b } });
      });
      return reply.code(201).send(toContact(row));
    },
  );

  app.get(
    '/api/contacts/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get a contact', params: IdParams, response: withErrors({ 200: Contact }) } },
    async (req) => toContact(await visibleContact(ctx, req, req.params.id)),
  );

  app.patch(
    '/api/contacts/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Update a contact', params: IdParams, body: PatchContact, response: withErrors({ 200: Contact }) } },
    async (req) => {
      const cur = await visibleContact(ctx, req, req.params.id);
      const b = req.body;
      await checkSiteOfCustomer(db, cur.customer_id, b.siteId);
      const next: ContactRow = {
        ...cur,
        ...(b.siteId !== undefined ? { site_id: b.siteId } : {}),
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.email !== undefined ? { email: b.email } : {}),
        ...(b.phone !== undefined ? { phone: b.phone } : {}),
        ...(b.role !== undefined ? { role: b.role } : {}),
      };
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('contacts')
          .set({ site_id: next.site_id, name: next.name, email: next.email, phone: next.phone, role: next.role })
          .where('id', '=', cur.id)
          .execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'contact.update', entity: 'contact', entityId: cur.id, details: { changes: { ...b } } });
      });
      return toContact(next);
    },
  );

  app.delete(
    '/api/contacts/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a contact', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await visibleContact(ctx, req, req.params.id);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('contacts').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'contact.delete', entity: 'contact', entityId: cur.id, details: { name: cur.name } });
      });
      return reply.code(204).send(null);
    },
  );
};
