/**
 * Secrets: agent secrets and API tokens are random 256-bit values stored as SHA-256 (fast
 * enough for thousands of agent reconnects, and safe because the values are random, not
 * chosen by people). User passwords are chosen by people and use scrypt (see passwords.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random 256-bit secret, base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a secret, as stored in the database. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret against a stored hash. */
export function verifySecret(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
