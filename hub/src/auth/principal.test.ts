import { describe, expect, test } from 'vitest';
import { customerScope, roleAllows, type Access, type Principal } from './principal.js';

describe('roles', () => {
  test('each role reaches exactly its access levels', () => {
    const levels: Access[] = ['public', 'self', 'read', 'write', 'admin'];
    const table = Object.fromEntries((['admin', 'engineer', 'customer'] as const).map((r) => [r, levels.filter((l) => roleAllows(r, l))]));
    expect(table).toEqual({
      admin: ['public', 'self', 'read', 'write', 'admin'],
      engineer: ['public', 'self', 'read', 'write'],
      customer: ['public', 'self', 'read'],
    });
  });

  test('only customers are scoped, and a customer without a customer sees nothing', () => {
    const base: Principal = { userId: 'u', email: 'e', name: 'n', role: 'engineer', customerId: null, tokenId: 't', tokenKind: 'api' };
    expect(customerScope(base)).toBeNull();
    expect(customerScope({ ...base, role: 'customer', customerId: 'c1' })).toBe('c1');
    expect(customerScope({ ...base, role: 'customer', customerId: null })).toEqual(expect.stringContaining('no-customer'));
  });
});
