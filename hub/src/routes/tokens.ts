/**
 * API tokens: create one (the bearer value is in the answer once and never again), list
 * your own (admins may list anyone's), revoke. A token carries its owner's role.
 */
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { issueToken, revokeToken } from '../auth/tokens.js';
import type { ApiToken } from '../db/index.js';
import { forbidden, notFound } from '../errors.js';
import { Id, IdParams, ListOf, Name, Token, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

export function toToken(t: Omit<ApiToken, 'token_hash'>) {
  return {
    id: t.id,
    userId: t.user_id,
    name: t.name,
    kind: t.kind,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    lastUsedAt: t.last_used_at,
    revokedAt: t.revoked_at,
  };
}

const CreateToken = Type.Object(
  { name: Name, expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, description: 'omit for a token that does not expire' })) },
  { additionalProperties: false },
);
const CreatedToken = Type.Intersect([Token, Type.Object({ token: Type.String({ description: 'the bearer value; shown only in this answer' }) })]);
const TokenQuery = Type.Object(
  {
    userId: Type.Optional(Id),
    kind: Type.Optional(Type.Enum(['api', 'session'])),
    includeRevoked: Type.Optional(Type.Boolean({ description: 'also list revoked and expired tokens' })),
  },
  { additionalProperties: false },
);

export const tokenRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['tokens'];

  app.post(
    '/api/tokens',
    { config: { access: 'self' }, schema: { tags, summary: 'Create an API token for yourself', body: CreateToken, response: withErrors({ 201: CreatedToken }) } },
    async (req, reply) => {
      const p = principalOf(req);
      const now = ctx.now();
      const expiresAt = req.body.expiresInDays === undefined ? null : now + req.body.expiresInDays * 86_400_000;
      const issued = await db.transaction().execute(async (trx) => {
        const t = await issueToken(trx, { userId: p.userId, name: req.body.name, kind: 'api', expiresAt, now });
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'token.create', entity: 'token', entityId: t.id, details: { name: t.name, expiresAt } });
        return t;
      });
      const row = { id: issued.id, user_id: p.userId, name: issued.name, kind: issued.kind, created_at: now, expires_at: expiresAt, last_used_at: null, revoked_at: null };
      return reply.code(201).send({ ...toToken(row), token: issued.token });
    },
  );

  app.get(
    '/api/tokens',
    { config: { access: 'self' }, schema: { tags, summary: 'List your tokens (admins: any user’s)', querystring: TokenQuery, response: withErrors({ 200: ListOf(Token) }) } },
    async (req) => {
      const p = principalOf(req);
      const userId = req.query.userId ?? p.userId;
      if (userId !== p.userId && p.role !== 'admin') throw forbidden('only admins list other users’ tokens');
      let q = db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc');
      if (req.query.kind !== undefined) q = q.where('kind', '=', req.query.kind);
      if (req.query.includeRevoked !== true) {
        const now = ctx.now();
        q = q.where('revoked_at', 'is', null).where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      }
      return { items: (await q.execute()).map(toToken) };
    },
  );

  app.delete(
    '/api/tokens/:id',
    { config: { access: 'self' }, schema: { tags, summary: 'Revoke a token (yours; admins: any)', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const p = principalOf(req);
      const t = await db.selectFrom('api_tokens').selectAll().where('id', '=', req.params.id).executeTakeFirst();
      if (t === undefined || (t.user_id !== p.userId && p.role !== 'admin')) throw notFound('token', req.params.id);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        if (await revokeToken(trx, t.id, now)) {
          await writeAudit(trx, { at: now, actor: actorOf(req), action: 'token.revoke', entity: 'token', entityId: t.id, details: { name: t.name, kind: t.kind, userId: t.user_id } });
        }
      });
      return reply.code(204).send(null);
    },
  );
};
