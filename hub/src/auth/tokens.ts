/**
 * Bearer tokens: long-lived API tokens (kind 'api') and login sessions (kind 'session').
 * A token is a random 256-bit secret shown once; only its SHA-256 is stored. Prefixes make
 * leaked tokens recognisable to secret scanners: `lwt_` API token, `lws_` session.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/index.js';
import type { Principal } from './principal.js';
import { hashSecret, newSecret } from './secrets.js';

const PREFIX = { api: 'lwt_', session: 'lws_' } as const;
/** last_used_at is written at most this often per token. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssueTokenInput {
  userId: string;
  name: string;
  kind: 'api' | 'session';
  /** ms since epoch, or null for no expiry. */
  expiresAt: number | null;
  now: number;
}

export interface IssuedToken {
  id: string;
  /** The bearer value. Shown to the caller once; never stored, never logged. */
  token: string;
  name: string;
  kind: 'api' | 'session';
  createdAt: number;
  expiresAt: number | null;
}

export async function issueToken(db: Kysely<DB>, input: IssueTokenInput): Promise<IssuedToken> {
  const id = randomUUID();
  const token = PREFIX[input.kind] + newSecret();
  await db
    .insertInto('api_tokens')
    .values({
      id,
      user_id: input.userId,
      name: input.name,
      kind: input.kind,
      token_hash: hashSecret(token),
      created_at: input.now,
      expires_at: input.expiresAt,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  return { id, token, name: input.name, kind: input.kind, createdAt: input.now, expiresAt: input.expiresAt };
}

/**
 * The principal a presented bearer token stands for, or null when the token is unknown,
 * revoked, expired or belongs to a disabled user. Records last use at most once a minute.
 */
export async function authenticateToken(db: Kysely<DB>, presented: string, now: number): Promise<Principal | null> {
  if (presented.length === 0 || presented.length > 256) return null;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as tokenId', 't.kind', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.id as userId', 'u.email', 'u.name', 'u.role', 'u.customer_id', 'u.disabled'])
    .where('t.token_hash', '=', hashSecret(presented))
    .executeTakeFirst();
  if (row === undefined || row.revoked_at !== null || row.disabled !== 0) return null;
  if (row.expires_at !== null && row.expires_at <= now) return null;
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.tokenId).execute();
  }
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    customerId: row.customer_id,
    tokenId: row.tokenId,
    tokenKind: row.kind,
  };
}

/** Marks a token revoked; returns false when it was unknown or already revoked. */
export async function revokeToken(db: Kysely<DB>, tokenId: string, now: number): Promise<boolean> {
  const res = await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  return res.numUpdatedRows > 0n;
}
