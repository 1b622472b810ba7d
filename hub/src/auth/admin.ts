/**
 * Bootstrapping an administrator (`ledwatch-hub create-admin`): creates the admin user when
 * the email is new and always issues a fresh API token named 'create-admin'. Running it for
 * an existing admin is the recovery path: the account is re-enabled and, when a password is
 * given, the password is replaced.
 */
import type { StateDb } from '../db/index.js';
import { conflict, invalid } from '../errors.js';
import { writeAudit } from '../audit/log.js';
import { hashPassword } from './passwords.js';
import { issueToken } from './tokens.js';
import { createUser, normalizeEmail } from './users.js';

const MIN_PASSWORD = 8;

export interface CreateAdminInput {
  email: string;
  name?: string;
  password?: string;
}

export interface CreatedAdmin {
  userId: string;
  /** Bearer API token; print it once, it is not stored. */
  token: string;
  /** False when the admin already existed and only a token was issued. */
  created: boolean;
}

export async function createAdmin(state: StateDb, input: CreateAdminInput, now: number = Date.now()): Promise<CreatedAdmin> {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('email', `${JSON.stringify(input.email)} is not an email address`);
  if (input.password !== undefined && input.password.length < MIN_PASSWORD) throw invalid('password', `use at least ${MIN_PASSWORD} characters`);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return state.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('users').select(['id', 'role']).where('email', '=', email).executeTakeFirst();
    let userId: string;
    if (existing === undefined) {
      userId = await createUser(trx, { email, name: input.name ?? email, role: 'admin', passwordHash, now });
    } else {
      if (existing.role !== 'admin') throw conflict(`user ${email} exists with role ${existing.role}; change its role through the API instead`);
      userId = existing.id;
      await trx
        .updateTable('users')
        .set({ disabled: 0, updated_at: now, ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}) })
        .where('id', '=', userId)
        .execute();
    }
    const issued = await issueToken(trx, { userId, name: 'create-admin', kind: 'api', expiresAt: null, now });
    await writeAudit(trx, {
      at: now,
      actor: { userId: null, tokenId: null, ip: null },
      action: existing === undefined ? 'user.create-admin' : 'user.admin-token',
      entity: 'user',
      entityId: userId,
      details: { email, via: 'cli', canLogIn: passwordHash !== undefined },
    });
    return { userId, token: issued.token, created: existing === undefined };
  });
}
