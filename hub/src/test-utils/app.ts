/**
 * A built hub app over a real test context and the standard fixture, for route tests:
 *   const t = await createTestApp(); … t.app.inject({ headers: bearer(t.fx.admin.token) }) … await t.cleanup();
 */
import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../app.js';
import { createTestContext, type TestContext, type TestContextOptions } from './context.js';
import { seedFixture, type Fixture } from './fixture.js';

export interface TestApp {
  ctx: TestContext;
  app: FastifyInstance;
  fx: Fixture;
  cleanup(): Promise<void>;
}

export async function createTestApp(opts: TestContextOptions & { app?: BuildAppOptions } = {}): Promise<TestApp> {
  const ctx = await createTestContext(opts);
  try {
    const fx = await seedFixture(ctx);
    const app = await buildApp(ctx, opts.app);
    return {
      ctx,
      app,
      fx,
      async cleanup() {
        await app.close();
        await ctx.cleanup();
      },
    };
  } catch (err) {
    await ctx.cleanup();
    throw err;
  }
}

/** Authorization header for a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
