/** `GET /api/audit` (admin only): the audit log, newest first, filtered and paged. */
import { Type } from 'typebox';
import { listAudit } from '../audit/query.js';
import { AuditRecord, withErrors } from './schemas.js';
import type { RouteModule } from './types.js';

const AuditQuery = Type.Object(
  {
    entity: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'e.g. agent, site, user, token' })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'e.g. agent.provision' })),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'user id of the actor' })),
    since: Type.Optional(Type.Integer({ minimum: 0, description: 'entries at or after this time (ms)' })),
    until: Type.Optional(Type.Integer({ minimum: 0, description: 'entries before this time (ms)' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'the `next` value of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
const AuditPage = Type.Object({ items: Type.Array(AuditRecord), next: Type.Union([Type.Integer(), Type.Null()]) });

export const auditRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/audit',
    { config: { access: 'admin' }, schema: { tags: ['audit'], summary: 'Audit log, newest first', querystring: AuditQuery, response: withErrors({ 200: AuditPage }) } },
    async (req) => {
      const { limit, ...filters } = req.query;
      return listAudit(ctx.state.db, { ...filters, limit: limit ?? 50 });
    },
  );
};
