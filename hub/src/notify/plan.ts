/**
 * Planning one notification request at one escalation level: the matching subscriptions,
 * their concrete targets (each once), and for each a log row, either 'pending' (to be sent)
 * or 'suppressed' / 'failed' at once with the reason. Must run one request at a time, so
 * the dedupe and rate-limit counts see every earlier row.
 */
import type { Kysely } from 'kysely';
import type { DB, NotificationStatus } from '../db/index.js';
import { suppressionReason, type LimitOptions, type StoredPayload } from './log.js';
import { subscriptionMatches } from './match.js';
import { resolveTarget, uniqueTargets, type Delivery } from './recipients.js';
import { listSubscriptions } from './store.js';
import type { NotifyChannel, StoredRequest } from './types.js';

export interface PlannedRow {
  id: number;
  channel: NotifyChannel;
  status: NotificationStatus;
}

/** The deliveries of the subscriptions at `level` that match the request. */
export async function subscribedDeliveries(db: Kysely<DB>, req: StoredRequest, level: number): Promise<Delivery[]> {
  const subs = (await listSubscriptions(db, { level })).filter((s) => subscriptionMatches(s, req, level));
  const all: Delivery[] = [];
  for (const s of subs) {
    const ds = await resolveTarget(db, s.target, { subscriptionId: s.id, customerId: req.customerId, checkCustomer: true });
    all.push(...ds.filter((d) => d.channel === s.channel));
  }
  return uniqueTargets(all);
}

/** Writes one log row per delivery; returns them with their first status. */
export async function recordDeliveries(
  db: Kysely<DB>,
  req: StoredRequest,
  level: number,
  deliveries: readonly Delivery[],
  opts: { now: number; limits: LimitOptions | null },
): Promise<PlannedRow[]> {
  const payload: StoredPayload = { text: req.text, ...(req.html !== undefined ? { html: req.html } : {}), data: req.data };
  const out: PlannedRow[] = [];
  for (const d of deliveries) {
    let status: NotificationStatus = 'pending';
    let error: string | null = null;
    if (d.problem !== undefined) {
      status = 'failed';
      error = `${d.problem}: ${d.target} has no email address`;
    } else if (opts.limits !== null) {
      error = await suppressionReason(db, { key: req.key, event: req.event, target: d.target, level }, opts.now, opts.limits);
      if (error !== null) status = 'suppressed';
    }
    const row = await db
      .insertInto('notifications')
      .values({
        key: req.key,
        event: req.event,
        severity: req.severity,
        level,
        channel: d.channel,
        target: d.target,
        subscription_id: d.subscriptionId,
        customer_id: req.customerId ?? null,
        site_id: req.siteId ?? null,
        subject: req.subject,
        payload: JSON.stringify(payload),
        status,
        attempts: 0,
        error,
        created_at: opts.now,
        sent_at: null,
        next_attempt_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    out.push({ id: row.id, channel: d.channel, status });
  }
  return out;
}

/** Subject and text of escalation step `level`. */
export function escalated(req: StoredRequest, level: number, afterMin: number | undefined): StoredRequest {
  const after = afterMin === undefined ? '' : ` ${String(afterMin)} min after the first notice`;
  const line = `Escalation level ${String(level)}: not acknowledged${after}.`;
  return {
    ...req,
    subject: `[Escalation ${String(level)}] ${req.subject}`,
    text: `${line}\n\n${req.text}`,
    ...(req.html !== undefined ? { html: `<p><strong>${line}</strong></p>\n${req.html}` } : {}),
  };
}
