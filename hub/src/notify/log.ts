/**
 * The notification log: one row per notification to one target, with its outcome
 * (pending → sent | retrying → … | failed; or suppressed at once). Dedupe and rate limits
 * count these rows, so they hold across restarts.
 */
import type { Kysely } from 'kysely';
import type { DB, Notification, NotificationStatus } from '../db/index.js';
import type { JsonValue, NotifyChannel, NotifySeverity } from './types.js';
import { keysetPage, type Page } from '../db/paging.js';

export interface NotificationView {
  id: number;
  key: string;
  event: string;
  severity: NotifySeverity;
  level: number;
  channel: NotifyChannel;
  target: string;
  subscriptionId: string | null;
  customerId: string | null;
  siteId: string | null;
  subject: string;
  status: NotificationStatus;
  attempts: number;
  error: string | null;
  createdAt: number;
  sentAt: number | null;
  nextAttemptAt: number | null;
}

/** What was (or will be) sent, kept in `payload`. */
export interface StoredPayload {
  text: string;
  html?: string | undefined;
  data: JsonValue;
}

export const toNotificationView = (r: Notification): NotificationView => ({
  id: r.id,
  key: r.key,
  event: r.event,
  severity: r.severity,
  level: r.level,
  channel: r.channel,
  target: r.target,
  subscriptionId: r.subscription_id,
  customerId: r.customer_id,
  siteId: r.site_id,
  subject: r.subject,
  status: r.status,
  attempts: r.attempts,
  error: r.error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  nextAttemptAt: r.next_attempt_at,
});

/** Statuses that count as "told" for dedupe and rate limits (a failure may be tried again). */
const COUNTED: NotificationStatus[] = ['pending', 'retrying', 'sent'];

export interface LimitOptions {
  dedupeWindowS: number;
  maxPerKeyPerHour: number;
}

/** Why this notification must not go out now, or null when it may. */
export async function suppressionReason(
  db: Kysely<DB>,
  n: { key: string; event: string; target: string; level: number },
  now: number,
  limits: LimitOptions,
): Promise<string | null> {
  if (limits.dedupeWindowS > 0) {
    const dup = await db
      .selectFrom('notifications')
      .select('id')
      .where('key', '=', n.key)
      .where('target', '=', n.target)
      .where('event', '=', n.event)
      .where('level', '=', n.level)
      .where('status', 'in', COUNTED)
      .where('created_at', '>', now - limits.dedupeWindowS * 1000)
      .limit(1)
      .executeTakeFirst();
    if (dup !== undefined) return `duplicate of notification ${String(dup.id)} within ${String(limits.dedupeWindowS)} s`;
  }
  const { count } = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('key', '=', n.key)
    .where('target', '=', n.target)
    .where('status', 'in', COUNTED)
    .where('created_at', '>', now - 3_600_000)
    .executeTakeFirstOrThrow();
  if (Number(count) >= limits.maxPerKeyPerHour) return `rate limit: ${String(limits.maxPerKeyPerHour)} per hour for this key and target`;
  return null;
}

export interface NotificationFilter {
  key?: string | undefined;
  event?: string | undefined;
  status?: NotificationStatus | undefined;
  channel?: NotifyChannel | undefined;
  severity?: NotifySeverity | undefined;
  customerId?: string | undefined;
  siteId?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  /** Page: rows with an id below this (the `next` of the previous page). */
  before?: number | undefined;
  limit: number;
}

/** Newest first, paged by id. */
export async function listNotifications(db: Kysely<DB>, f: NotificationFilter): Promise<Page<NotificationView>> {
  let q = db.selectFrom('notifications').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
  if (f.key !== undefined) q = q.where('key', '=', f.key);
  if (f.event !== undefined) q = q.where('event', '=', f.event);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.channel !== undefined) q = q.where('channel', '=', f.channel);
  if (f.severity !== undefined) q = q.where('severity', '=', f.severity);
  if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
  if (f.siteId !== undefined) q = q.where('site_id', '=', f.siteId);
  if (f.since !== undefined) q = q.where('created_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('created_at', '<', f.until);
  if (f.before !== undefined) q = q.where('id', '<', f.before);
  return keysetPage(await q.execute(), f.limit, toNotificationView);
}
