/**
 * Dashboard sign-in: `POST /api/auth/login` trades email + password for a session token
 * (kind 'session', valid auth.sessionTtlHours), rate-limited per email and per address;
 * logout revokes it; `me` says who is signed in; `password` changes one's own password.
 */
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { verifyNothing, verifyPassword, hashPassword } from '../auth/passwords.js';
import { RateLimiter } from '../auth/rate-limit.js';
import { issueToken, revokeToken } from '../auth/tokens.js';
import { normalizeEmail } from '../auth/users.js';
import { HubError, conflict, unauthorized } from '../errors.js';
import { Email, Ms, Password, Token, User, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';
import { loadUser, toUser } from './users.js';

const Login = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
const Session = Type.Object({ token: Type.String({ description: 'bearer token; shown once' }), expiresAt: Ms, user: User });
const Me = Type.Object({ user: User, token: Type.Pick(Token, ['id', 'kind']) });
const PasswordChange = Type.Object({ currentPassword: Type.Optional(Type.String({ maxLength: 256 })), newPassword: Password }, { additionalProperties: false });

export const authRoutes: RouteModule = (app, ctx) => {
  const cfg = ctx.config.auth;
  const limiter = new RateLimiter({ max: cfg.loginMaxAttempts, windowS: cfg.rateLimitWindowS, now: () => ctx.now() });
  const db = ctx.state.db;

  /** Counts an attempt against every key, or refuses (429) without counting when one is exhausted. */
  function attempt(keys: string[]): void {
    const blocked = keys.map((k) => limiter.peek(k)).filter((r) => !r.allowed);
    if (blocked.length > 0) {
      ctx.metrics.httpLoginFailures.inc();
      const retryAfterS = Math.max(...blocked.map((r) => r.retryAfterS));
      throw new HubError('rate-limited', `too many failed sign-ins; retry in ${retryAfterS} s`, { retryAfterS });
    }
    for (const k of keys) limiter.hit(k);
  }

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], summary: 'Sign in with email and password', security: [], body: Login, response: withErrors({ 200: Session }) },
    },
    async (req) => {
      const email = normalizeEmail(req.body.email);
      const emailKey = `email:${email}`;
      const ipKey = `ip:${req.ip}`;
      attempt([emailKey, ipKey]);
      const user = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      const ok =
        user !== undefined && user.disabled === 0 && user.password_hash !== null
          ? await verifyPassword(req.body.password, user.password_hash)
          : await verifyNothing(req.body.password);
      if (!ok || user === undefined) {
        ctx.metrics.httpLoginFailures.inc();
        req.log.info({ email }, 'sign-in failed');
        throw unauthorized('wrong email or password');
      }
      limiter.reset(emailKey);
      limiter.forgive(ipKey);
      const now = ctx.now();
      const expiresAt = now + Math.round(cfg.sessionTtlHours * 3_600_000);
      const session = await db.transaction().execute(async (trx) => {
        const issued = await issueToken(trx, { userId: user.id, name: 'login', kind: 'session', expiresAt, now });
        await writeAudit(trx, { at: now, actor: { userId: user.id, tokenId: issued.id, ip: req.ip }, action: 'auth.login', entity: 'user', entityId: user.id, details: { email } });
        return issued;
      });
      return { token: session.token, expiresAt, user: toUser(user) };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'self' }, schema: { tags: ['auth'], summary: 'Revoke the session token used for this request', response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const p = principalOf(req);
      if (p.tokenKind !== 'session') throw conflict('this is an API token, not a session; revoke it with DELETE /api/tokens/{id}');
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await revokeToken(trx, p.tokenId, now);
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'auth.logout', entity: 'user', entityId: p.userId });
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    { config: { access: 'self' }, schema: { tags: ['auth'], summary: 'The signed-in user', response: withErrors({ 200: Me }) } },
    async (req) => {
      const p = principalOf(req);
      return { user: toUser(await loadUser(ctx, p.userId)), token: { id: p.tokenId, kind: p.tokenKind } };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'self' },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (signs out your other sessions)',
        body: PasswordChange,
        response: withErrors({ 204: Type.Null() }),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const user = await loadUser(ctx, p.userId);
      if (user.password_hash !== null) {
        attempt([`email:${user.email}`, `ip:${req.ip}`]);
        if (!(await verifyPassword(req.body.currentPassword ?? '', user.password_hash))) throw unauthorized('currentPassword is wrong');
        limiter.forgive(`ip:${req.ip}`);
        limiter.reset(`email:${user.email}`);
      }
      const hash = await hashPassword(req.body.newPassword);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', p.userId).execute();
        await trx
          .updateTable('api_tokens')
          .set({ revoked_at: now })
          .where('user_id', '=', p.userId)
          .where('kind', '=', 'session')
          .where('id', '!=', p.tokenId)
          .where('revoked_at', 'is', null)
          .execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'auth.password-change', entity: 'user', entityId: p.userId });
      });
      return reply.code(204).send(null);
    },
  );
};
