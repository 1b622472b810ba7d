/**
 * User accounts (admin only): list, create, read, update (name, email, role, customer,
 * password, disabled) and delete. Admins cannot lock themselves out: no demoting,
 * disabling or deleting one's own account.
 */
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { hashPassword } from '../auth/passwords.js';
import { checkRoleCustomer, createUser, normalizeEmail } from '../auth/users.js';
import type { HubContext } from '../context.js';
import type { User as UserRow } from '../db/index.js';
import { conflict, notFound } from '../errors.js';
import { Email, Id, IdParams, ListOf, Name, Nullable, Password, Role, User, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

export function toUser(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    customerId: u.customer_id,
    disabled: u.disabled !== 0,
    hasPassword: u.password_hash !== null,
    createdAt: u.created_at,
    updatedAt: u.updated_at,
  };
}

export async function loadUser(ctx: HubContext, id: string): Promise<UserRow> {
  const row = await ctx.state.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('user', id);
  return row;
}

const CreateUser = Type.Object(
  { email: Email, name: Type.Optional(Name), role: Role, customerId: Type.Optional(Id), password: Type.Optional(Password) },
  { additionalProperties: false },
);
const PatchUser = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Name),
    role: Type.Optional(Role),
    customerId: Type.Optional(Nullable(Id)),
    password: Type.Optional(Password),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const UserQuery = Type.Object({ role: Type.Optional(Role), customerId: Type.Optional(Id) }, { additionalProperties: false });

export const userRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['users'];

  app.get(
    '/api/users',
    { config: { access: 'admin' }, schema: { tags, summary: 'List users', querystring: UserQuery, response: withErrors({ 200: ListOf(User) }) } },
    async (req) => {
      let q = db.selectFrom('users').selectAll().orderBy('email');
      if (req.query.role !== undefined) q = q.where('role', '=', req.query.role);
      if (req.query.customerId !== undefined) q = q.where('customer_id', '=', req.query.customerId);
      return { items: (await q.execute()).map(toUser) };
    },
  );

  app.post(
    '/api/users',
    { config: { access: 'admin' }, schema: { tags, summary: 'Create a user', body: CreateUser, response: withErrors({ 201: User }) } },
    async (req, reply) => {
      const now = ctx.now();
      const b = req.body;
      const hash = b.password === undefined ? null : await hashPassword(b.password);
      const id = await db.transaction().execute(async (trx) => {
        const userId = await createUser(trx, { email: b.email, name: b.name ?? normalizeEmail(b.email), role: b.role, customerId: b.customerId, passwordHash: hash, now });
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'user.create', entity: 'user', entityId: userId, details: { ...b } });
        return userId;
      });
      return reply.code(201).send(toUser(await loadUser(ctx, id)));
    },
  );

  app.get(
    '/api/users/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Get a user', params: IdParams, response: withErrors({ 200: User }) } },
    async (req) => toUser(await loadUser(ctx, req.params.id)),
  );

  app.patch(
    '/api/users/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Update a user', params: IdParams, body: PatchUser, response: withErrors({ 200: User }) } },
    async (req) => {
      const me = principalOf(req);
      const cur = await loadUser(ctx, req.params.id);
      const b = req.body;
      if (cur.id === me.userId && ((b.role !== undefined && b.role !== cur.role) || b.disabled === true)) {
        throw conflict('you cannot change your own role or disable your own account');
      }
      const role = b.role ?? cur.role;
      const customerId = b.customerId !== undefined ? b.customerId : role === 'customer' ? cur.customer_id : null;
      await checkRoleCustomer(db, role, customerId);
      const email = b.email === undefined ? undefined : normalizeEmail(b.email);
      if (email !== undefined && email !== cur.email) {
        const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
        if (taken !== undefined) throw conflict(`a user with email ${email} already exists`);
      }
      const hash = b.password === undefined ? undefined : await hashPassword(b.password);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('users')
          .set({
            role,
            customer_id: customerId,
            updated_at: now,
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(email !== undefined ? { email } : {}),
            ...(b.disabled !== undefined ? { disabled: b.disabled ? 1 : 0 } : {}),
            ...(hash !== undefined ? { password_hash: hash } : {}),
          })
          .where('id', '=', cur.id)
          .execute();
        if (hash !== undefined) {
          // A reset password signs the user out everywhere.
          await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', cur.id).where('kind', '=', 'session').where('revoked_at', 'is', null).execute();
        }
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'user.update', entity: 'user', entityId: cur.id, details: { changes: { ...b } } });
      });
      return toUser(await loadUser(ctx, cur.id));
    },
  );

  app.delete(
    '/api/users/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete a user and their tokens', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await loadUser(ctx, req.params.id);
      if (cur.id === principalOf(req).userId) throw conflict('you cannot delete your own account');
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('users').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'user.delete', entity: 'user', entityId: cur.id, details: { email: cur.email, role: cur.role } });
      });
      return reply.code(204).send(null);
    },
  );
};
