/**
 * Rollouts of a release: create (targets, waves, thresholds, window), list, status per
 * wave and per agent, pause, resume, cancel; and agent tags for targeting.
 */
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { notFound } from '../errors.js';
import { releaseServices } from '../releases/index.js';
import { RolloutSpec } from '../releases/spec.js';
import { visibleAgent } from './agents.js';
import { IdParams, ListOf, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const CreateRollout = Type.Object({ releaseId: Type.String({ minLength: 1, maxLength: 128 }), ...RolloutSpec.properties }, { additionalProperties: false });
const Rollout = Type.Object({}, { additionalProperties: true });
const Tags = Type.Object({ tags: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }), { maxItems: 64 }) }, { additionalProperties: false });

export const rolloutRoutes: RouteModule = (app, ctx) => {
  const { rollouts } = releaseServices(ctx);
  const tags = ['releases'];

  app.post(
    '/api/rollouts',
    { config: { access: 'write' }, schema: { tags, summary: 'Start rolling a release out in waves', body: CreateRollout, response: withErrors({ 201: Rollout }) } },
    async (req, reply) => {
      const { releaseId, ...spec } = req.body;
      const r = await rollouts.create(releaseId, spec, principalOf(req).userId);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'rollout.create', entity: 'rollout', entityId: r.id, details: { releaseId, targets: r.targets.length, skipped: r.skipped.length } });
      return reply.code(201).send(r);
    },
  );

  app.get('/api/rollouts', { config: { access: 'read' }, schema: { tags, summary: 'Rollouts, newest first', response: withErrors({ 200: ListOf(Rollout) }) } }, async () => ({
    items: await rollouts.list(),
  }));

  app.get('/api/rollouts/:id', { config: { access: 'read' }, schema: { tags, summary: 'Status of a rollout, per wave and per agent', params: IdParams, response: withErrors({ 200: Rollout }) } }, async (req) => {
    const r = await rollouts.get(req.params.id);
    if (r === undefined) throw notFound('rollout', req.params.id);
    return r;
  });

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(
      `/api/rollouts/:id/${action}`,
      { config: { access: 'write' }, schema: { tags, summary: `${action[0]?.toUpperCase()}${action.slice(1)} a rollout`, params: IdParams, response: withErrors({ 200: Rollout }) } },
      async (req) => {
        const r = await rollouts[action](req.params.id);
        await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: `rollout.${action}`, entity: 'rollout', entityId: r.id, details: {} });
        return r;
      },
    );
  }

  app.put(
    '/api/agents/:id/tags',
    { config: { access: 'write' }, schema: { tags: ['agents'], summary: 'Replace the agent’s tags (rollout targeting)', params: IdParams, body: Tags, response: withErrors({ 200: Tags }) } },
    async (req) => {
      const agent = await visibleAgent(ctx, req, req.params.id);
      const unique = [...new Set(req.body.tags)];
      await ctx.state.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('agent_tags').where('agent_id', '=', agent.id).execute();
        for (const tag of unique) await trx.insertInto('agent_tags').values({ agent_id: agent.id, tag }).execute();
      });
      return { tags: unique };
    },
  );
};
