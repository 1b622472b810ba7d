/**
 * Recurring-problem thresholds per customer: how many occurrences of the same fault on the
 * same device within a calendar month, quarter or year (UTC) flag a ticket `recurring` and
 * escalate it. Each period defaults to the hub-wide `tickets.recurring`; a customer may
 * override any of them (`PUT`, null = back to the default), `DELETE` drops every override.
 * Customer users read their own; admins and engineers change them. Applies to the next
 * occurrence (tickets already flagged stay flagged).
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import type { HubContext } from '../context.js';
import { visibleCustomer } from './customers.js';
import { Id, IdParams, withErrors } from './schemas.js';
import { actorOf, type RouteModule } from './types.js';

const Count = (period: string) => Type.Integer({ minimum: 1, maximum: 1000, description: `occurrences within a calendar ${period} that make a fault recurring` });
const Thresholds = Type.Object({ month: Count('month'), quarter: Count('quarter'), year: Count('year') });
const SetBody = Type.Object(
  {
    month: Type.Optional(Type.Union([Count('month'), Type.Null()])),
    quarter: Type.Optional(Type.Union([Count('quarter'), Type.Null()])),
    year: Type.Optional(Type.Union([Count('year'), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1, description: 'absent = unchanged, null = the hub-wide default' },
);
const Period = Type.Enum(['month', 'quarter', 'year']);
const View = Type.Object({
  customerId: Id,
  thresholds: Thresholds,
  defaults: Type.Object({ month: Type.Integer(), quarter: Type.Integer(), year: Type.Integer() }, { description: 'the hub-wide tickets.recurring' }),
  own: Type.Array(Period, { description: 'periods whose threshold the customer set' }),
});

function viewOf(ctx: HubContext, customerId: string) {
  const { thresholds, own } = ctx.tickets.recurringThresholds(customerId);
  return { customerId, thresholds, defaults: { ...ctx.tickets.options.recurring }, own };
}

export const recurringRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['tickets'];
  const customer = async (req: FastifyRequest, id: string) => (await visibleCustomer(ctx, req, id)).id;

  app.get(
    '/api/customers/:id/recurring',
    { config: { access: 'read' }, schema: { tags, summary: 'Recurring-problem thresholds of a customer', params: IdParams, response: withErrors({ 200: View }) } },
    async (req) => viewOf(ctx, await customer(req, req.params.id)),
  );

  app.put(
    '/api/customers/:id/recurring',
    { config: { access: 'write' }, schema: { tags, summary: 'Override recurring-problem thresholds for a customer', params: IdParams, body: SetBody, response: withErrors({ 200: View }) } },
    async (req) => {
      const id = await customer(req, req.params.id);
      const now = ctx.now();
      const cur = await db.selectFrom('customer_recurring').selectAll().where('customer_id', '=', id).executeTakeFirst();
      const pick = (p: 'month' | 'quarter' | 'year') => (req.body[p] === undefined ? (cur?.[p] ?? null) : req.body[p]);
      const row = { customer_id: id, month: pick('month'), quarter: pick('quarter'), year: pick('year'), updated_at: now, updated_by: actorOf(req).userId };
      await db.transaction().execute(async (trx) => {
        if (row.month === null && row.quarter === null && row.year === null) await trx.deleteFrom('customer_recurring').where('customer_id', '=', id).execute();
        else {
          const { customer_id: _id, ...set } = row;
          await trx.insertInto('customer_recurring').values(row).onConflict((oc) => oc.column('customer_id').doUpdateSet(set)).execute();
        }
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.recurring.set', entity: 'customer', entityId: id, details: { ...req.body } });
      });
      return viewOf(ctx, id);
    },
  );

  app.delete(
    '/api/customers/:id/recurring',
    { config: { access: 'write' }, schema: { tags, summary: 'Put a customer back on the hub-wide recurring thresholds', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const id = await customer(req, req.params.id);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('customer_recurring').where('customer_id', '=', id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.recurring.clear', entity: 'customer', entityId: id });
      });
      return reply.code(204).send(null);
    },
  );
};
