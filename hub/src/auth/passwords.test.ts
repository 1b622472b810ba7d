import { describe, expect, test } from 'vitest';
import { hashPassword, verifyNothing, verifyPassword } from './passwords.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('passwords', () => {
  test('a hash verifies its own password and no other', async () => {
    const stored = await hashPassword('s3cret-enough', FAST);
    await expect(verifyPassword('s3cret-enough', stored)).resolves.toBe(true);
    await expect(verifyPassword('s3cret-enougH', stored)).resolves.toBe(false);
  });

  test('the stored string names scrypt and its parameters, and never contains the password', async () => {
    const stored = await hashPassword('visible?', FAST);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('visible?');
  });

  test('the same password hashes differently each time (per-password salt)', async () => {
    const [a, b] = await Promise.all([hashPassword('same one', FAST), hashPassword('same one', FAST)]);
    expect(a).not.toBe(b);
  });

  test('the default parameters are the strong ones', async () => {
    const stored = await hashPassword('default params');
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
  });

  test('malformed or hostile stored hashes verify as false instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$3$8$1$c2FsdA$a2V5', 'scrypt$1073741824$8$1$c2FsdA$a2V5', 'bcrypt$1024$8$1$c2FsdA$a2V5', 'scrypt$1024$8$1$$']) {
      await expect(verifyPassword('x', bad)).resolves.toBe(false);
    }
  });

  test('verifyNothing always says no', async () => {
    await expect(verifyNothing('anything')).resolves.toBe(false);
  });
});
