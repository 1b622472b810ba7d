/** `GET /metrics`: the hub's Prometheus metrics (admin or engineer token). */
import { Type } from 'typebox';
import { withErrors } from './schemas.js';
import type { RouteModule } from './types.js';

export const metricsRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/metrics',
    {
      config: { access: 'write' },
      schema: { tags: ['system'], summary: 'Prometheus metrics (text exposition format)', response: withErrors({ 200: Type.String() }) },
    },
    async (_req, reply) => {
      const body = await ctx.metrics.registry.metrics();
      return reply.type(ctx.metrics.registry.contentType).send(body);
    },
  );
};
