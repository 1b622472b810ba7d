/**
 * Turns targets into concrete deliveries: a contact or user into their email address, a
 * role into every enabled user with it, a webhook id into the endpoint. A customer's
 * contacts and customer-role users only ever hear about their own customer, whatever
 * their subscription says.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import type { NotifyChannel, NotifyTarget } from './types.js';

export interface Delivery {
  channel: NotifyChannel;
  /** `email:<address>`, `webhook:<id>`, or `contact:<id>` / `user:<id>` when there is no address. */
  target: string;
  subscriptionId: string | null;
  /** Set when the target cannot be reached at all (recorded as failed, not retried). */
  problem?: 'no-address' | undefined;
}

const email = (address: string, subscriptionId: string | null): Delivery => ({ channel: 'email', target: `email:${address.toLowerCase()}`, subscriptionId });

/**
 * Deliveries for one target. `customerId` is the matter's customer (undefined for hub-wide
 * matters); with `checkCustomer` false (test notifications) it is not enforced.
 */
export async function resolveTarget(
  db: Kysely<DB>,
  target: NotifyTarget,
  opts: { subscriptionId: string | null; customerId: string | undefined; checkCustomer: boolean },
): Promise<Delivery[]> {
  const sub = opts.subscriptionId;
  const sameCustomer = (customerId: string | null) => !opts.checkCustomer || (customerId !== null && customerId === opts.customerId);
  if ('contactId' in target) {
    const c = await db.selectFrom('contacts').select(['id', 'customer_id', 'email']).where('id', '=', target.contactId).executeTakeFirst();
    if (c === undefined || !sameCustomer(c.customer_id)) return [];
    return [c.email === null ? { channel: 'email', target: `contact:${c.id}`, subscriptionId: sub, problem: 'no-address' } : email(c.email, sub)];
  }
  if ('userId' in target) {
    const u = await db.selectFrom('users').select(['email', 'role', 'customer_id', 'disabled']).where('id', '=', target.userId).executeTakeFirst();
    if (u === undefined || u.disabled !== 0 || (u.role === 'customer' && !sameCustomer(u.customer_id))) return [];
    return [email(u.email, sub)];
  }
  if ('role' in target) {
    const users = await db.selectFrom('users').select('email').where('role', '=', target.role).where('disabled', '=', 0).orderBy('email').execute();
    return users.map((u) => email(u.email, sub));
  }
  const hook = await db.selectFrom('notify_webhooks').select(['id', 'enabled']).where('id', '=', target.webhookId).executeTakeFirst();
  if (hook === undefined || hook.enabled === 0) return [];
  return [{ channel: 'webhook', target: `webhook:${hook.id}`, subscriptionId: sub }];
}

/** Keeps the first delivery per target (one person subscribed twice gets one mail). */
export function uniqueTargets(deliveries: readonly Delivery[]): Delivery[] {
  const seen = new Set<string>();
  return deliveries.filter((d) => !seen.has(d.target) && seen.add(d.target));
}
