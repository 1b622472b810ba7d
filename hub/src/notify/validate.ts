/**
 * Checks a subscription against the database before it is stored: the target exists, the
 * channel fits it (webhooks by webhook, people by email), the escalation level is a
 * configured step, and the scope is coherent — a site belongs to the customer, and a
 * customer's contact or user is always confined to that customer.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import { invalid } from '../errors.js';
import type { SubscriptionInput } from './store.js';
import type { NotifyChannel, NotifySeverity, NotifyTarget } from './types.js';

export interface SubscriptionDraft {
  target: NotifyTarget;
  channel?: NotifyChannel | undefined;
  minSeverity?: NotifySeverity | undefined;
  customerId?: string | null | undefined;
  siteId?: string | null | undefined;
  events?: string[] | undefined;
  escalationLevel?: number | undefined;
  enabled?: boolean | undefined;
}

/** The customer a target is confined to (a contact's, a customer user's), or null. */
async function targetCustomer(db: Kysely<DB>, t: NotifyTarget): Promise<string | null> {
  if ('contactId' in t) {
    const c = await db.selectFrom('contacts').select('customer_id').where('id', '=', t.contactId).executeTakeFirst();
    if (c === undefined) throw invalid('body.target.contactId', `contact ${t.contactId} does not exist`);
    return c.customer_id;
  }
  if ('userId' in t) {
    const u = await db.selectFrom('users').select(['role', 'customer_id']).where('id', '=', t.userId).executeTakeFirst();
    if (u === undefined) throw invalid('body.target.userId', `user ${t.userId} does not exist`);
    return u.role === 'customer' ? u.customer_id : null;
  }
  if ('webhookId' in t) {
    const w = await db.selectFrom('notify_webhooks').select('id').where('id', '=', t.webhookId).executeTakeFirst();
    if (w === undefined) throw invalid('body.target.webhookId', `webhook ${t.webhookId} does not exist`);
  }
  return null;
}

export async function checkSubscription(db: Kysely<DB>, d: SubscriptionDraft, escalationSteps: number): Promise<SubscriptionInput> {
  const channel: NotifyChannel = 'webhookId' in d.target ? 'webhook' : 'email';
  if (d.channel !== undefined && d.channel !== channel) throw invalid('body.channel', `a ${'webhookId' in d.target ? 'webhook' : 'person or role'} target is reached by ${channel}`);
  const level = d.escalationLevel ?? 0;
  if (level > escalationSteps) throw invalid('body.escalationLevel', `notify.escalation has ${String(escalationSteps)} step(s); use 0…${String(escalationSteps)}`);

  const confined = await targetCustomer(db, d.target);
  let customerId = d.customerId ?? null;
  const siteId = d.siteId ?? null;
  if (siteId !== null) {
    const site = await db.selectFrom('sites').select('customer_id').where('id', '=', siteId).executeTakeFirst();
    if (site === undefined) throw invalid('body.siteId', `site ${siteId} does not exist`);
    if (customerId !== null && customerId !== site.customer_id) throw invalid('body.siteId', `site ${siteId} is not a site of customer ${customerId}`);
    customerId = site.customer_id;
  }
  if (confined !== null) {
    if (customerId !== null && customerId !== confined) throw invalid('body.customerId', `this target belongs to customer ${confined} and only hears about it`);
    customerId = confined;
  }
  if (customerId !== null) {
    const c = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
    if (c === undefined) throw invalid('body.customerId', `customer ${customerId} does not exist`);
  }
  return {
    target: d.target,
    channel,
    minSeverity: d.minSeverity ?? 'risk',
    customerId,
    siteId,
    events: d.events ?? ['*'],
    escalationLevel: level,
    enabled: d.enabled ?? true,
  };
}
