import { access } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { authenticateToken } from '../auth/tokens.js';
import { createTestContext } from './context.js';
import { seedFixture } from './fixture.js';

describe('test context', () => {
  test('uses a real SQLite file in its own temp folder and removes the folder on cleanup', async () => {
    const ctx = await createTestContext({ config: { auth: { loginMaxAttempts: 2 } } });
    expect(ctx.config.data.dir).toBe(ctx.dir);
    expect(ctx.config.auth.loginMaxAttempts).toBe(2);
    expect(ctx.state.path.startsWith(ctx.dir)).toBe(true);
    await expect(access(ctx.state.path)).resolves.toBeUndefined();
    await ctx.cleanup();
    await expect(access(ctx.dir)).rejects.toThrow(/ENOENT/);
  });

  test('the fixture seeds an admin, an engineer and two customers with a site and a viewer each, all with working tokens', async () => {
    const ctx = await createTestContext();
    try {
      const fx = await seedFixture(ctx);
      const roles = await Promise.all([fx.admin, fx.engineer, ...fx.customers.map((c) => c.user)].map(async (u) => (await authenticateToken(ctx.state.db, u.token, Date.now()))?.role));
      expect(roles).toEqual(['admin', 'engineer', 'customer', 'customer']);
      expect(fx.customers[0].user).not.toEqual(fx.customers[1].user);
      const sites = await ctx.state.db.selectFrom('sites').select(['id', 'customer_id']).orderBy('id').execute();
      expect(sites).toEqual([
        { id: fx.customers[0].siteId, customer_id: fx.customers[0].id },
        { id: fx.customers[1].siteId, customer_id: fx.customers[1].id },
      ]);
    } finally {
      await ctx.cleanup();
    }
  });
});
