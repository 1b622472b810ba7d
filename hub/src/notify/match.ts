/**
 * Which subscriptions a notification request reaches (pure): the event matches one of the
 * subscription's globs, the severity is at least its minimum, the scope fits, the channel
 * is allowed, and the escalation level is the one being sent.
 */
import { severityRank, type NotifyChannel, type NotifyRequest, type NotifySeverity, type NotifyTarget } from './types.js';

export interface Subscription {
  id: string;
  target: NotifyTarget;
  channel: NotifyChannel;
  minSeverity: NotifySeverity;
  /** Scope; null = every customer / every site. */
  customerId: string | null;
  siteId: string | null;
  /** Globs over dotted event names: `*` matches any run of characters, e.g. 'alarm.*', '*'. */
  events: string[];
  escalationLevel: number;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

const globCache = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (re === undefined) {
    const body = glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    re = new RegExp(`^${body}$`);
    if (globCache.size < 1000) globCache.set(glob, re);
  }
  return re;
}

/** True when any glob matches the whole event name. */
export function eventMatches(globs: readonly string[], event: string): boolean {
  return globs.some((g) => globRegExp(g).test(event));
}

export function subscriptionMatches(sub: Subscription, req: Pick<NotifyRequest, 'event' | 'severity' | 'customerId' | 'siteId' | 'channels'>, level: number): boolean {
  if (!sub.enabled || sub.escalationLevel !== level) return false;
  if (req.channels !== undefined && !req.channels.includes(sub.channel)) return false;
  if (severityRank(req.severity) < severityRank(sub.minSeverity)) return false;
  if (sub.customerId !== null && sub.customerId !== req.customerId) return false;
  if (sub.siteId !== null && sub.siteId !== req.siteId) return false;
  return eventMatches(sub.events, req.event);
}
