/**
 * Notifications: the log (`GET /api/notifications`), subscriptions (who hears about what),
 * webhook endpoints (admin; the secret is write-only and shown masked), and
 * `POST /api/notify/test` to check a target end to end. Admins and engineers only.
 */
import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import type { NotifyWebhook } from '../db/index.js';
import { invalid, notFound } from '../errors.js';
import { listNotifications } from '../notify/log.js';
import * as S from '../notify/schemas.js';
import { getSubscription, getWebhook, insertSubscription, insertWebhook, listSubscriptions, updateSubscription } from '../notify/store.js';
import { checkSubscription } from '../notify/validate.js';
import { IdParams, ListOf, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

export const toWebhook = (w: NotifyWebhook) => ({
  id: w.id,
  name: w.name,
  url: w.url,
  secretHint: `****${w.secret.slice(-4)}`,
  enabled: w.enabled !== 0,
  createdAt: w.created_at,
  updatedAt: w.updated_at,
});

export const notifyRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['notifications'];
  const steps = () => ctx.config.notify.escalation.length;

  app.get(
    '/api/notifications',
    { config: { access: 'write' }, schema: { tags, summary: 'Notification log, newest first', querystring: S.NotificationQuery, response: withErrors({ 200: S.NotificationPage }) } },
    async (req) => listNotifications(db, { ...req.query, limit: req.query.limit ?? 50 }),
  );

  app.get(
    '/api/notify/subscriptions',
    { config: { access: 'write' }, schema: { tags, summary: 'List subscriptions', response: withErrors({ 200: ListOf(S.Subscription) }) } },
    async () => ({ items: await listSubscriptions(db) }),
  );

  app.post(
    '/api/notify/subscriptions',
    { config: { access: 'write' }, schema: { tags, summary: 'Subscribe a contact, user, role or webhook', body: S.CreateSubscription, response: withErrors({ 201: S.Subscription }) } },
    async (req, reply) => {
      const input = await checkSubscription(db, req.body, steps());
      const now = ctx.now();
      const sub = await db.transaction().execute(async (trx) => {
        const s = await insertSubscription(trx, input, now);
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'notify-subscription.create', entity: 'notify-subscription', entityId: s.id, details: { ...input } });
        return s;
      });
      return reply.code(201).send(sub);
    },
  );

  const visibleSubscription = async (id: string) => {
    const s = await getSubscription(db, id);
    if (s === undefined) throw notFound('subscription', id);
    return s;
  };

  app.get(
    '/api/notify/subscriptions/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Get a subscription', params: IdParams, response: withErrors({ 200: S.Subscription }) } },
    async (req) => visibleSubscription(req.params.id),
  );

  app.patch(
    '/api/notify/subscriptions/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Change a subscription', params: IdParams, body: S.PatchSubscription, response: withErrors({ 200: S.Subscription }) } },
    async (req) => {
      const cur = await visibleSubscription(req.params.id);
      const b = req.body;
      const retarget = b.target !== undefined;
      const input = await checkSubscription(
        db,
        {
          ...cur,
          ...b,
          // A new target picks its own channel and customer scope unless they are given too.
          channel: b.channel ?? (retarget ? undefined : cur.channel),
          customerId: b.customerId !== undefined ? b.customerId : retarget ? null : cur.customerId,
        },
        steps(),
      );
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await updateSubscription(trx, cur.id, input, now);
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'notify-subscription.update', entity: 'notify-subscription', entityId: cur.id, details: { changes: { ...b } } });
      });
      return visibleSubscription(cur.id);
    },
  );

  app.delete(
    '/api/notify/subscriptions/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a subscription', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await visibleSubscription(req.params.id);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('notify_subscriptions').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'notify-subscription.delete', entity: 'notify-subscription', entityId: cur.id, details: { target: cur.target } });
      });
      return reply.code(204).send(null);
    },
  );

  const existingWebhook = async (id: string) => {
    const w = await getWebhook(db, id);
    if (w === undefined) throw notFound('webhook', id);
    return w;
  };

  app.get(
    '/api/notify/webhooks',
    { config: { access: 'write' }, schema: { tags, summary: 'List webhooks (secrets masked)', response: withErrors({ 200: ListOf(S.Webhook) }) } },
    async () => ({ items: (await db.selectFrom('notify_webhooks').selectAll().orderBy('name').execute()).map(toWebhook) }),
  );

  app.get(
    '/api/notify/webhooks/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Get a webhook (secret masked)', params: IdParams, response: withErrors({ 200: S.Webhook }) } },
    async (req) => toWebhook(await existingWebhook(req.params.id)),
  );

  app.post(
    '/api/notify/webhooks',
    { config: { access: 'admin' }, schema: { tags, summary: 'Add a webhook endpoint', body: S.CreateWebhook, response: withErrors({ 201: S.CreatedWebhook }) } },
    async (req, reply) => {
      const b = req.body;
      checkUrl(b.url);
      const generated = b.secret === undefined ? `whsec_${randomBytes(32).toString('hex')}` : undefined;
      const now = ctx.now();
      const hook = await db.transaction().execute(async (trx) => {
        const w = await insertWebhook(trx, { name: b.name, url: b.url, secret: b.secret ?? generated ?? '', enabled: b.enabled ?? true }, now);
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'notify-webhook.create', entity: 'notify-webhook', entityId: w.id, details: { name: b.name, url: b.url, secret: true } });
        return w;
      });
      return reply.code(201).send({ ...toWebhook(hook), ...(generated !== undefined ? { secret: generated } : {}) });
    },
  );

  app.patch(
    '/api/notify/webhooks/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Change a webhook', params: IdParams, body: S.PatchWebhook, response: withErrors({ 200: S.Webhook }) } },
    async (req) => {
      const cur = await existingWebhook(req.params.id);
      const b = req.body;
      if (b.url !== undefined) checkUrl(b.url);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('notify_webhooks')
          .set({
            ...(b.name !== undefined ? { name: b.name } : {}),
            ...(b.url !== undefined ? { url: b.url } : {}),
            ...(b.secret !== undefined ? { secret: b.secret } : {}),
            ...(b.enabled !== undefined ? { enabled: b.enabled ? 1 : 0 } : {}),
            updated_at: now,
          })
          .where('id', '=', cur.id)
          .execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'notify-webhook.update', entity: 'notify-webhook', entityId: cur.id, details: { changes: { ...b } } });
      });
      return toWebhook(await existingWebhook(cur.id));
    },
  );

  app.delete(
    '/api/notify/webhooks/:id',
    { config: { access: 'admin' }, schema: { tags, summary: 'Delete a webhook and its subscriptions', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await existingWebhook(req.params.id);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('notify_webhooks').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'notify-webhook.delete', entity: 'notify-webhook', entityId: cur.id, details: { name: cur.name } });
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/notify/test',
    { config: { access: 'write' }, schema: { tags, summary: 'Send a test notification to a target now', body: S.TestRequest, response: withErrors({ 200: ListOf(S.NotificationRecord) }) } },
    async (req) => {
      const p = principalOf(req);
      const items = await ctx.notify.sendTest(req.body.target, { by: p.email });
      if (items.length === 0) throw invalid('body.target', 'reaches no one: unknown, disabled, or a role without enabled users');
      await writeAudit(db, {
        at: ctx.now(),
        actor: actorOf(req),
        action: 'notify.test',
        entity: 'notification',
        entityId: items[0]?.id ?? null,
        details: { target: req.body.target, outcomes: items.map((i) => ({ target: i.target, status: i.status, error: i.error })) },
      });
      return { items };
    },
  );
};

function checkUrl(url: string): void {
  try {
    new URL(url);
  } catch {
    throw invalid('body.url', 'is not a valid URL');
  }
}
