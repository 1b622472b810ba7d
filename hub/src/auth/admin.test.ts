import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hashSecret } from './secrets.js';
import { createAdmin } from './admin.js';
import { authenticateToken } from './tokens.js';
import { verifyPassword } from './passwords.js';
import { createTestContext, type TestContext } from '../test-utils/context.js';

describe('createAdmin', () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(async () => {
    await ctx.cleanup();
  });

  test('creates an admin for a new email and issues a working API token named create-admin', async () => {
    const res = await createAdmin(ctx.state, { email: 'Root@Example.com', name: 'Root' });
    expect(res.created).toBe(true);
    const principal = await authenticateToken(ctx.state.db, res.token, Date.now());
    expect(principal).toMatchObject({ userId: res.userId, role: 'admin', email: 'root@example.com', tokenKind: 'api' });
    const token = await ctx.state.db.selectFrom('api_tokens').selectAll().where('user_id', '=', res.userId).executeTakeFirstOrThrow();
    expect(token).toMatchObject({ name: 'create-admin', kind: 'api', token_hash: hashSecret(res.token), expires_at: null });
  });

  test('for an existing admin it issues another token and may reset the password', async () => {
    const first = await createAdmin(ctx.state, { email: 'root@example.com' });
    const again = await createAdmin(ctx.state, { email: 'root@example.com', password: 'new-password-1' });
    expect(again).toMatchObject({ userId: first.userId, created: false });
    expect(again.token).not.toBe(first.token);
    const user = await ctx.state.db.selectFrom('users').selectAll().where('id', '=', first.userId).executeTakeFirstOrThrow();
    await expect(verifyPassword('new-password-1', user.password_hash ?? '')).resolves.toBe(true);
    const count = await ctx.state.db.selectFrom('api_tokens').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  test('refuses an email that belongs to a non-admin user', async () => {
    const now = Date.now();
    await ctx.state.db
      .insertInto('users')
      .values({ id: 'u1', email: 'eng@example.com', name: 'Eng', password_hash: null, role: 'engineer', customer_id: null, created_at: now, updated_at: now })
      .execute();
    await expect(createAdmin(ctx.state, { email: 'eng@example.com' })).rejects.toMatchObject({ code: 'conflict' });
  });

  test('rejects a short password and a malformed email with validation errors', async () => {
    await expect(createAdmin(ctx.state, { email: 'a@b.c', password: 'short' })).rejects.toMatchObject({ code: 'validation' });
    await expect(createAdmin(ctx.state, { email: 'not-an-email' })).rejects.toMatchObject({ code: 'validation' });
  });

  test('records the bootstrap in the audit log without the token or password', async () => {
    const res = await createAdmin(ctx.state, { email: 'root@example.com', password: 'hunter2-hunter2' });
    const rows = await ctx.state.db.selectFrom('audit_log').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'user.create-admin', entity: 'user', entity_id: res.userId });
    expect(JSON.stringify(rows)).not.toContain(res.token);
    expect(JSON.stringify(rows)).not.toContain('hunter2-hunter2');
  });
});
