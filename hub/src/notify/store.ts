/**
 * Subscriptions and webhooks in the state database: rows ↔ the shapes the notifier and the
 * API use. Writes take a Kysely handle so routes can put them in the same transaction as
 * their audit entry.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, NotifySubscription, NotifyWebhook } from '../db/index.js';
import type { Subscription } from './match.js';
import type { NotifyTarget } from './types.js';

export function toSubscription(r: NotifySubscription): Subscription {
  const target: NotifyTarget =
    r.contact_id !== null ? { contactId: r.contact_id } : r.user_id !== null ? { userId: r.user_id } : r.role !== null ? { role: r.role } : { webhookId: r.webhook_id ?? '' };
  return {
    id: r.id,
    target,
    channel: r.channel,
    minSeverity: r.min_severity,
    customerId: r.customer_id,
    siteId: r.site_id,
    events: JSON.parse(r.events) as string[],
    escalationLevel: r.escalation_level,
    enabled: r.enabled !== 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export type SubscriptionInput = Omit<Subscription, 'id' | 'createdAt' | 'updatedAt'>;

/** The columns a subscription's settings are stored in. */
function subscriptionColumns(input: SubscriptionInput) {
  return {
    ...targetColumns(input.target),
    channel: input.channel,
    min_severity: input.minSeverity,
    customer_id: input.customerId,
    site_id: input.siteId,
    events: JSON.stringify(input.events),
    escalation_level: input.escalationLevel,
    enabled: input.enabled ? 1 : 0,
  };
}

function targetColumns(t: NotifyTarget) {
  return {
    contact_id: 'contactId' in t ? t.contactId : null,
    user_id: 'userId' in t ? t.userId : null,
    role: 'role' in t ? t.role : null,
    webhook_id: 'webhookId' in t ? t.webhookId : null,
  };
}

export async function listSubscriptions(db: Kysely<DB>, filter: { level?: number } = {}): Promise<Subscription[]> {
  let q = db.selectFrom('notify_subscriptions').selectAll().orderBy('created_at').orderBy('id');
  if (filter.level !== undefined) q = q.where('escalation_level', '=', filter.level);
  return (await q.execute()).map(toSubscription);
}

export async function getSubscription(db: Kysely<DB>, id: string): Promise<Subscription | undefined> {
  const row = await db.selectFrom('notify_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toSubscription(row);
}

export async function insertSubscription(db: Kysely<DB>, input: SubscriptionInput, now: number): Promise<Subscription> {
  const row: NotifySubscription = {
    id: randomUUID(),
    ...subscriptionColumns(input),
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('notify_subscriptions').values(row).execute();
  return toSubscription(row);
}

export async function updateSubscription(db: Kysely<DB>, id: string, input: SubscriptionInput, now: number): Promise<void> {
  await db
    .updateTable('notify_subscriptions')
    .set({ ...subscriptionColumns(input), updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function getWebhook(db: Kysely<DB>, id: string): Promise<NotifyWebhook | undefined> {
  return db.selectFrom('notify_webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(db: Kysely<DB>, input: { name: string; url: string; secret: string; enabled: boolean }, now: number): Promise<NotifyWebhook> {
  const row: NotifyWebhook = { id: randomUUID(), name: input.name, url: input.url, secret: input.secret, enabled: input.enabled ? 1 : 0, created_at: now, updated_at: now };
  await db.insertInto('notify_webhooks').values(row).execute();
  return row;
}
