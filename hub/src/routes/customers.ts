/**
 * Customers: CRUD for admins and engineers; a customer user reads only its own customer.
 * A customer with sites cannot be deleted (delete or move the sites first); its contacts
 * and customer-role users go with it.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import type { Customer as CustomerRow } from '../db/index.js';
import { conflict, notFound } from '../errors.js';
import { toContact } from './contacts.js';
import { Contact, Customer, IdParams, ListOf, Name, Site, withErrors } from './schemas.js';
import { toSite } from './sites.js';
import { actorOf, principalOf, type RouteModule } from './types.js';
import { readableId } from './ids.js';

const Language = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$', description: 'report language, e.g. en, de, zh-CN', default: 'en' });
const CreateCustomer = Type.Object({ name: Name, language: Type.Optional(Language) }, { additionalProperties: false });
const PatchCustomer = Type.Object({ name: Type.Optional(Name), language: Type.Optional(Language) }, { additionalProperties: false, minProperties: 1 });

export const toCustomer = (c: CustomerRow) => ({ id: c.id, name: c.name, language: c.language, createdAt: c.created_at, updatedAt: c.updated_at });

/** The customer, if the caller may see it; 404 otherwise (no hint that it exists). */
export async function visibleCustomer(ctx: HubContext, req: FastifyRequest, id: string): Promise<CustomerRow> {
  const scope = customerScope(principalOf(req));
  const row = await ctx.state.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined || (scope !== null && scope !== row.id)) throw notFound('customer', id);
  return row;
}

export const customerRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['customers'];

  app.get(
    '/api/customers',
    { config: { access: 'read' }, schema: { tags, summary: 'List customers', response: withErrors({ 200: ListOf(Customer) }) } },
    async (req) => {
      const scope = customerScope(principalOf(req));
      let q = db.selectFrom('customers').selectAll().orderBy('name');
      if (scope !== null) q = q.where('id', '=', scope);
      return { items: (await q.execute()).map(toCustomer) };
    },
  );

  app.post(
    '/api/customers',
    { config: { access: 'write' }, schema: { tags, summary: 'Create a customer', body: CreateCustomer, response: withErrors({ 201: Customer }) } },
    async (req, reply) => {
      const now = ctx.now();
      const row: CustomerRow = { id: readableId(req.body.name, 'customer', 24), name: req.body.name, language: req.body.language ?? 'en', created_at: now, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('customers').values(row).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.create', entity: 'customer', entityId: row.id, details: { ...req.body } });
      });
      return reply.code(201).send(toCustomer(row));
    },
  );

  app.get(
    '/api/customers/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get a customer', params: IdParams, response: withErrors({ 200: Customer }) } },
    async (req) => toCustomer(await visibleCustomer(ctx, req, req.params.id)),
  );

  app.patch(
    '/api/customers/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Update a customer', params: IdParams, body: PatchCustomer, response: withErrors({ 200: Customer }) } },
    async (req) => {
      const cur = await visibleCustomer(ctx, req, req.params.id);
      const now = ctx.now();
      const next: CustomerRow = { ...cur, ...req.body, updated_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('customers').set({ name: next.name, language: next.language, updated_at: now }).where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.update', entity: 'customer', entityId: cur.id, details: { changes: { ...req.body } } });
      });
      return toCustomer(next);
    },
  );

  app.delete(
    '/api/customers/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a customer without sites', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await visibleCustomer(ctx, req, req.params.id);
      const site = await db.selectFrom('sites').select('id').where('customer_id', '=', cur.id).executeTakeFirst();
      if (site !== undefined) throw conflict(`customer ${cur.id} still has sites; delete them first`);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('customers').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.delete', entity: 'customer', entityId: cur.id, details: { name: cur.name } });
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/customers/:id/sites',
    { config: { access: 'read' }, schema: { tags, summary: 'A customer’s sites', params: IdParams, response: withErrors({ 200: ListOf(Site) }) } },
    async (req) => {
      const c = await visibleCustomer(ctx, req, req.params.id);
      return { items: (await db.selectFrom('sites').selectAll().where('customer_id', '=', c.id).orderBy('name').execute()).map(toSite) };
    },
  );

  app.get(
    '/api/customers/:id/contacts',
    { config: { access: 'read' }, schema: { tags, summary: 'A customer’s contacts', params: IdParams, response: withErrors({ 200: ListOf(Contact) }) } },
    async (req) => {
      const c = await visibleCustomer(ctx, req, req.params.id);
      return { items: (await db.selectFrom('contacts').selectAll().where('customer_id', '=', c.id).orderBy('name').execute()).map(toContact) };
    },
  );
};
