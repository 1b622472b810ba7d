/**
 * OpenAPI: @fastify/swagger collects every route's TypeBox schema; the document is served
 * at /api/openapi.json and browsable at /api/docs (swagger-ui). Both are public. Register
 * before the routes so it sees them.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { HUB_VERSION } from '../version.js';
import type { HubApp } from './types.js';

export async function registerDocs(app: HubApp): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ledwatch hub API',
        version: HUB_VERSION,
        description: 'Remote monitoring of LED display installations. Send `Authorization: Bearer <token>` (an API token or a login session).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger());
}
