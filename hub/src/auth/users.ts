/**
 * Creating users. Emails are stored trimmed and lower-cased so logins and the unique index
 * agree; a `customer` user must name the customer it belongs to.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../db/index.js';
import { HubError, conflict, invalid } from '../errors.js';
import { hashPassword, type ScryptParams } from './passwords.js';

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  customerId?: string | null | undefined;
  password?: string | null | undefined;
  /** An already computed hash (callers hash before opening a transaction). */
  passwordHash?: string | null | undefined;
  now: number;
  /** Tests pass cheaper scrypt parameters; production uses the default. */
  scrypt?: ScryptParams;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Checks the role/customer pairing and that the customer exists. */
export async function checkRoleCustomer(db: Kysely<DB>, role: Role, customerId: string | null | undefined): Promise<void> {
  if (role === 'customer') {
    if (customerId === null || customerId === undefined) throw invalid('body.customerId', 'a customer user needs customerId');
    const found = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
    if (found === undefined) throw invalid('body.customerId', `customer ${customerId} does not exist`);
  } else if (customerId !== null && customerId !== undefined) {
    throw invalid('body.customerId', `only customer users have a customerId, not ${role} users`);
  }
}

export async function createUser(db: Kysely<DB>, input: NewUserInput): Promise<string> {
  const email = normalizeEmail(input.email);
  await checkRoleCustomer(db, input.role, input.customerId);
  const taken = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (taken !== undefined) throw conflict(`a user with email ${email} already exists`);
  const passwordHash = input.passwordHash ?? (input.password ? await hashPassword(input.password, input.scrypt) : null);
  const id = randomUUID();
  try {
    await db
      .insertInto('users')
      .values({
        id,
        email,
        name: input.name,
        password_hash: passwordHash,
        role: input.role,
        customer_id: input.role === 'customer' ? (input.customerId ?? null) : null,
        disabled: 0,
        created_at: input.now,
        updated_at: input.now,
      })
      .execute();
  } catch (err) {
    // Lost a race with another request creating the same email.
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict(`a user with email ${email} already exists`);
    throw err instanceof Error ? err : new HubError('internal', String(err));
  }
  return id;
}
