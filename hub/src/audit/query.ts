/**
 * Reading the audit log: newest first, filtered, paged with an id cursor (`before`) so
 * entries written while someone pages do not shift the pages.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import { keysetPage, type Page } from '../db/paging.js';

export interface AuditQuery {
  entity?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  /** Actor user id. */
  actor?: string | undefined;
  /** Entries at or after this time (ms). */
  since?: number | undefined;
  until?: number | undefined;
  /** Only entries with an id below this one (the `next` of the previous page). */
  before?: number | undefined;
  limit: number;
}

export interface AuditRecord {
  id: number;
  at: number;
  actorUserId: string | null;
  actorTokenId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

export type AuditPage = Page<AuditRecord>;

function parseDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { unparsable: text };
  }
}

export async function listAudit(db: Kysely<DB>, q: AuditQuery): Promise<AuditPage> {
  let query = db.selectFrom('audit_log').selectAll();
  if (q.entity !== undefined) query = query.where('entity', '=', q.entity);
  if (q.entityId !== undefined) query = query.where('entity_id', '=', q.entityId);
  if (q.action !== undefined) query = query.where('action', '=', q.action);
  if (q.actor !== undefined) query = query.where('actor_user_id', '=', q.actor);
  if (q.since !== undefined) query = query.where('at', '>=', q.since);
  if (q.until !== undefined) query = query.where('at', '<', q.until);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
  return keysetPage(rows, q.limit, (r) => ({
    id: r.id,
    at: r.at,
    actorUserId: r.actor_user_id,
    actorTokenId: r.actor_token_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: parseDetails(r.details),
    ip: r.ip,
  }));
}
