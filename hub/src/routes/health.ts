/** `GET /api/health`: public liveness check with the hub version and uptime. */
import { Type } from 'typebox';
import { HUB_VERSION } from '../version.js';
import { withErrors } from './schemas.js';
import type { RouteModule } from './types.js';

const Health = Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeS: Type.Number() });

export const healthRoutes: RouteModule = (app, ctx) => {
  const startedAt = ctx.now();
  const version = HUB_VERSION;
  app.get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { tags: ['system'], summary: 'Liveness check', security: [], response: withErrors({ 200: Health }) },
    },
    async () => ({ status: 'ok' as const, version, uptimeS: Math.max(0, Math.round((ctx.now() - startedAt) / 1000)) }),
  );
};
