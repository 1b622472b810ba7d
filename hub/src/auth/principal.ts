/**
 * Who is calling, and what each role may do. Routes declare an `access` level in their
 * config; the auth hook checks it before the body is even validated.
 */
import type { Role } from '../db/index.js';

export const ROLES = ['admin', 'engineer', 'customer'] as const satisfies readonly Role[];

export interface Principal {
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** Set for the `customer` role: the only customer whose data this caller may read. */
  customerId: string | null;
  tokenId: string;
  tokenKind: 'api' | 'session';
}

/**
 * - `public`: no token needed.
 * - `self`: any signed-in user, acting on their own account (me, logout, own tokens).
 * - `read`: any signed-in user; customers only see their own customer's data.
 * - `write`: admin and engineer (operational data).
 * - `admin`: admin only (users, audit log).
 */
export type Access = 'public' | 'self' | 'read' | 'write' | 'admin';

const ALLOWED: Record<Exclude<Access, 'public'>, readonly Role[]> = {
  self: ROLES,
  read: ROLES,
  write: ['admin', 'engineer'],
  admin: ['admin'],
};

export function roleAllows(role: Role, access: Access): boolean {
  return access === 'public' || ALLOWED[access].includes(role);
}

/** The customer a caller is confined to, or null when it sees every customer. */
export function customerScope(p: Principal): string | null {
  return p.role === 'customer' ? (p.customerId ?? '\u0000no-customer') : null;
}
