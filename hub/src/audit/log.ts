/**
 * The audit log: one row per change (who, what, when, from where). Details are JSON and
 * never hold secrets: values under keys that name a secret are replaced before writing.
 * Write the entry inside the same transaction as the change it records.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';

export interface AuditActor {
  userId: string | null;
  tokenId: string | null;
  ip: string | null;
}

export interface AuditEntry {
  at: number;
  actor: AuditActor;
  /** `<entity>.<verb>`, e.g. 'agent.provision', 'site.update', 'auth.login'. */
  action: string;
  entity: string;
  entityId?: string | number | null;
  details?: Record<string, unknown>;
}

/** Key names whose values are never written to the audit log. */
const SECRET_KEY = /secret|password|passwd|hash|authorization|cookie|^token$|^bearer$|api[-_]?key/i;
export const REDACTED = '[redacted]';

/** A copy of `value` with every secret-named key's value replaced by '[redacted]'. */
export function redactDetails(value: unknown, depth = 0): unknown {
  if (depth > 8) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactDetails(v, depth + 1));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redactDetails(v, depth + 1);
  return out;
}

export async function writeAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  const details = entry.details === undefined ? null : JSON.stringify(redactDetails(entry.details));
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_user_id: entry.actor.userId,
      actor_token_id: entry.actor.tokenId,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      details,
      ip: entry.actor.ip,
    })
    .execute();
}
