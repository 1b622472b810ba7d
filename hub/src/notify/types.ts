/**
 * The vocabulary of notifications: severities, channels, targets and the request any hub
 * service (alarms, tickets, inspections, the hub itself) hands to the notifier.
 */
import type { NotifyChannel, NotifySeverity } from '../db/index.js';

export type { NotificationStatus, NotifyChannel, NotifySeverity } from '../db/index.js';

export const SEVERITIES = ['info', 'risk', 'fault', 'critical'] as const satisfies readonly NotifySeverity[];
export const CHANNELS = ['email', 'webhook'] as const satisfies readonly NotifyChannel[];

/** 0 for info … 3 for critical. */
export function severityRank(s: NotifySeverity): number {
  return SEVERITIES.indexOf(s);
}

/** Who a subscription (or a test notification) reaches. */
export type NotifyTarget = { contactId: string } | { userId: string } | { role: 'engineer' | 'admin' } | { webhookId: string };

/** JSON a webhook receives under `data`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface NotifyRequest {
  /** Dedupe and rate-limit key of the matter, e.g. 'alarm:123', 'ticket:T-42'. */
  key: string;
  /** What happened, dotted: 'alarm.raised', 'ticket.opened', 'hub.mail-failing'. */
  event: string;
  severity: NotifySeverity;
  /** Scope: only subscriptions for this customer/site (or unscoped ones) match. */
  customerId?: string | undefined;
  siteId?: string | undefined;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Sent to webhooks as `data`. */
  data: JsonValue;
  /**
   * Whether the matter has been acknowledged since; asked before each escalation step.
   * Without it (and without an ack check registered for the key's prefix) nothing escalates.
   */
  ackedCheck?: (() => Promise<boolean>) | undefined;
  /** Only these channels (e.g. ['webhook'] to report that mail is failing). */
  channels?: readonly NotifyChannel[] | undefined;
}

/** The part of a request that is stored for escalation (ackedCheck cannot be). */
export type StoredRequest = Omit<NotifyRequest, 'ackedCheck'>;

/** The body of every webhook POST. */
export interface WebhookBody {
  /** The delivery id (also in X-Ledwatch-Delivery); the same across retries. */
  id: string;
  event: string;
  key: string;
  severity: NotifySeverity;
  /** 0 = first notice, N = escalation step N. */
  level: number;
  customerId: string | null;
  siteId: string | null;
  subject: string;
  text: string;
  data: JsonValue;
  /** When the notification was created, ISO 8601. */
  createdAt: string;
}

/** Decides whether the matter behind a key is acknowledged (registered per key prefix). */
export type AckCheck = (key: string) => Promise<boolean>;
