/**
 * Alarms: list (filtered, newest first, paged by id), get, acknowledge and clear; plus the
 * rule routes (/api/alarm-rules) and maintenance windows (/api/sites/{id}/maintenance),
 * which live in alarms/http. Customer users see their own customer's alarms only;
 * acknowledging and clearing take the engineer or admin role and are audited.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { maintenanceRoutes } from '../alarms/http/maintenance.js';
import { alarmRuleRoutes } from '../alarms/http/rules.js';
import { listAlarms } from '../alarms/query.js';
import { SEVERITIES, Severity } from '../alarms/rule-schema.js';
import type { AlarmActionResult } from '../alarms/service.js';
import { AlarmState, type AlarmView, AlarmViewSchema } from '../alarms/types.js';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import { Id, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const AlarmQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([AlarmState, Type.Literal('open')], { description: "'open' = active or acknowledged" })),
    severity: Type.Optional(Severity),
    siteId: Type.Optional(Id),
    agentId: Type.Optional(Id),
    deviceId: Type.Optional(Type.String({ maxLength: 200, description: "'' = the agent itself" })),
    type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'the `next` value of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
const AlarmPage = Type.Object({ items: Type.Array(AlarmViewSchema), next: Type.Union([Type.Integer(), Type.Null()]) });
const AlarmParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const ActionBody = Type.Union([Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }), Type.Null()]);

/** The alarm if the caller may see it (the open one from memory, else the stored row); 404 otherwise. */
async function visibleAlarm(ctx: HubContext, req: FastifyRequest, id: number): Promise<AlarmView> {
  const scope = customerScope(principalOf(req));
  const alarm = ctx.alarms.openView(id) ?? (await listAlarms(ctx, { id, limit: 1 })).items[0];
  if (alarm === undefined || (scope !== null && scope !== alarm.customerId)) throw notFound('alarm', id);
  return alarm;
}

function outcome(result: AlarmActionResult, id: number, verb: string): AlarmView {
  if (result === undefined) throw notFound('alarm', id);
  if (result === 'cleared') throw conflict(`alarm ${id} is cleared; there is nothing to ${verb}`);
  return result;
}

export const alarmRoutes: RouteModule = (app, ctx) => {
  const tags = ['alarms'];

  app.get(
    '/api/alarms',
    { config: { access: 'read' }, schema: { tags, summary: 'List alarms, newest first', querystring: AlarmQuery, response: withErrors({ 200: AlarmPage }) } },
    async (req) => {
      const { severity, limit, ...filters } = req.query;
      const scope = customerScope(principalOf(req));
      const severities = severity === undefined ? undefined : SEVERITIES.slice(SEVERITIES.indexOf(severity));
      return listAlarms(ctx, { ...filters, ...(scope !== null ? { customerId: scope } : {}), ...(severities ? { severities } : {}), limit: limit ?? 100 });
    },
  );

  app.get(
    '/api/alarms/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get an alarm', params: AlarmParams, response: withErrors({ 200: AlarmViewSchema }) } },
    async (req) => visibleAlarm(ctx, req, req.params.id),
  );

  app.post(
    '/api/alarms/:id/ack',
    { config: { access: 'write' }, schema: { tags, summary: 'Acknowledge an open alarm', params: AlarmParams, body: ActionBody, response: withErrors({ 200: AlarmViewSchema }) } },
    async (req) => {
      await visibleAlarm(ctx, req, req.params.id);
      const by = { userId: principalOf(req).userId, audit: actorOf(req) };
      return outcome(ctx.alarms.acknowledge(req.params.id, by, req.body?.note), req.params.id, 'acknowledge');
    },
  );

  app.post(
    '/api/alarms/:id/clear',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'Clear an open alarm by hand (a condition still holding raises a new one at its next reading)', params: AlarmParams, body: ActionBody, response: withErrors({ 200: AlarmViewSchema }) },
    },
    async (req) => {
      await visibleAlarm(ctx, req, req.params.id);
      const by = { userId: principalOf(req).userId, audit: actorOf(req) };
      return outcome(ctx.alarms.clear(req.params.id, by, req.body?.note), req.params.id, 'clear');
    },
  );

  alarmRuleRoutes(app, ctx);
  maintenanceRoutes(app, ctx);
};
