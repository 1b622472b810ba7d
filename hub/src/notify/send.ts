/**
 * One delivery attempt of one logged notification: an email to `email:<address>`, or a
 * signed POST to `webhook:<id>` (looked up now, so a changed URL or secret applies to
 * retries and a deleted or disabled webhook stops them).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Notification } from '../db/index.js';
import type { EmailSender } from './email.js';
import { DeliveryError } from './errors.js';
import type { StoredPayload } from './log.js';
import { getWebhook } from './store.js';
import type { WebhookBody } from './types.js';
import { postWebhook } from './webhook.js';

export interface SendDeps {
  db: Kysely<DB>;
  email: EmailSender;
  webhookTimeoutMs: number;
}

/** A Message-ID every mail about the same key refers to, so mail clients thread them. */
export function threadId(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@notify.ledwatch>`;
}

export function webhookBody(row: Notification, payload: StoredPayload): WebhookBody {
  return {
    id: String(row.id),
    event: row.event,
    key: row.key,
    severity: row.severity,
    level: row.level,
    customerId: row.customer_id,
    siteId: row.site_id,
    subject: row.subject,
    text: payload.text,
    data: payload.data,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function sendNotification(row: Notification, deps: SendDeps): Promise<void> {
  const payload = JSON.parse(row.payload) as StoredPayload;
  if (row.channel === 'email') {
    if (!row.target.startsWith('email:')) throw new DeliveryError('no-address', `${row.target} has no email address`, { retryable: false });
    await deps.email.send({
      to: row.target.slice('email:'.length),
      subject: row.subject,
      text: payload.text,
      html: payload.html,
      headers: {
        'X-Ledwatch-Event': row.event,
        'X-Ledwatch-Key': row.key,
        'X-Ledwatch-Severity': row.severity,
        'X-Ledwatch-Notification': String(row.id),
      },
      references: threadId(row.key),
    });
    return;
  }
  const hookId = row.target.slice('webhook:'.length);
  const hook = await getWebhook(deps.db, hookId);
  if (hook === undefined || hook.enabled === 0) throw new DeliveryError('target-gone', `webhook ${hookId} was deleted or disabled`, { retryable: false });
  await postWebhook(hook, { event: row.event, deliveryId: String(row.id), body: JSON.stringify(webhookBody(row, payload)), timeoutMs: deps.webhookTimeoutMs });
}
