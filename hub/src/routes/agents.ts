/**
 * Agents: provisioning (a random 256-bit secret, answered once, stored as SHA-256), list,
 * get, revoke. Revoking sets revoked_at and emits 'agent-revoked' so the broker drops the
 * connection; the row stays (history, devices) until its site is deleted.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isValidId } from '@ledwatch/protocols';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import { hashSecret, newSecret } from '../auth/secrets.js';
import type { HubConfig } from '../config.js';
import type { HubContext } from '../context.js';
import type { Agent as AgentRow } from '../db/index.js';
import { conflict, invalid, notFound } from '../errors.js';
import { releaseServices } from '../releases/index.js';
import { readableId } from './ids.js';
import { Agent, Id, IdParams, ListOf, Name, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const Provision = Type.Object({ name: Name, siteId: Id }, { additionalProperties: false });
const Provisioned = Type.Object({
  agentId: Id,
  secret: Type.String({ description: 'the agent’s MQTT password; shown only in this answer' }),
  mqttUrl: Type.Optional(Type.String({ description: 'broker URL for the agent, when the hub knows its public address' })),
  releaseKeys: Type.Optional(Type.Array(Type.String(), { description: 'release public keys the agent must trust (its config: updates.publicKeys)' })),
  agent: Agent,
});
const AgentQuery = Type.Object(
  { siteId: Type.Optional(Id), revoked: Type.Optional(Type.Boolean({ description: 'true: only revoked agents; false: only active ones' })) },
  { additionalProperties: false },
);

export const toAgent = (a: AgentRow) => ({
  id: a.id,
  name: a.name,
  siteId: a.site_id,
  online: a.online !== 0,
  lastSeen: a.last_seen,
  version: a.version,
  hostname: a.hostname,
  platform: a.platform,
  startedAt: a.started_at,
  revokedAt: a.revoked_at,
  createdAt: a.created_at,
  configVersion: a.config_version,
});

/** A readable, MQTT-safe agent id: a slug of the name plus 8 random hex digits. */
export const newAgentId = (name: string): string => readableId(name, 'agent', 40);

/** Where agents reach the broker, when the configuration says so. */
export function mqttUrlFor(cfg: HubConfig): string | undefined {
  if (cfg.mqtt.externalUrl !== undefined) return cfg.mqtt.externalUrl;
  if (cfg.http.publicUrl === undefined) return undefined;
  let host: string;
  try {
    host = new URL(cfg.http.publicUrl).hostname;
  } catch {
    return undefined;
  }
  const tls = cfg.tls.cert !== undefined && cfg.tls.key !== undefined;
  const port = tls ? cfg.mqtt.tlsPort : cfg.mqtt.port;
  if (host === '' || port === 0) return undefined;
  return `${tls ? 'mqtts' : 'mqtt'}://${host}:${port}`;
}

export async function visibleAgent(ctx: HubContext, req: FastifyRequest, id: string): Promise<AgentRow> {
  const scope = customerScope(principalOf(req));
  const row = await ctx.state.db
    .selectFrom('agents')
    .innerJoin('sites', 'sites.id', 'agents.site_id')
    .selectAll('agents')
    .select('sites.customer_id')
    .where('agents.id', '=', id)
    .executeTakeFirst();
  if (row === undefined || (scope !== null && scope !== row.customer_id)) throw notFound('agent', id);
  const { customer_id: _customer, ...agent } = row;
  return agent;
}

export const agentRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;
  const tags = ['agents'];

  app.get(
    '/api/agents',
    { config: { access: 'read' }, schema: { tags, summary: 'List agents', querystring: AgentQuery, response: withErrors({ 200: ListOf(Agent) }) } },
    async (req) => {
      const scope = customerScope(principalOf(req));
      let q = db.selectFrom('agents').innerJoin('sites', 'sites.id', 'agents.site_id').selectAll('agents').orderBy('agents.name');
      if (scope !== null) q = q.where('sites.customer_id', '=', scope);
      if (req.query.siteId !== undefined) q = q.where('agents.site_id', '=', req.query.siteId);
      if (req.query.revoked !== undefined) q = q.where('agents.revoked_at', req.query.revoked ? 'is not' : 'is', null);
      return { items: (await q.execute()).map(toAgent) };
    },
  );

  app.post(
    '/api/agents',
    {
      config: { access: 'write' },
      schema: { tags, summary: 'Provision an agent: answers its id and secret once', body: Provision, response: withErrors({ 201: Provisioned }) },
    },
    async (req, reply) => {
      const site = await db.selectFrom('sites').select('id').where('id', '=', req.body.siteId).executeTakeFirst();
      if (site === undefined) throw invalid('body.siteId', `site ${req.body.siteId} does not exist`);
      const id = newAgentId(req.body.name);
      if (!isValidId(id)) throw invalid('body.name', 'cannot derive an agent id from this name');
      const secret = newSecret();
      const now = ctx.now();
      const row: AgentRow = {
        id,
        name: req.body.name,
        site_id: site.id,
        secret_hash: hashSecret(secret),
        version: null,
        online: 0,
        last_seen: null,
        session_id: null,
        started_at: null,
        hostname: null,
        platform: null,
        last_seq: null,
        revoked_at: null,
        created_at: now,
        config_version: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('agents').values(row).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'agent.provision', entity: 'agent', entityId: id, details: { name: row.name, siteId: row.site_id } });
      });
      const mqttUrl = mqttUrlFor(ctx.config);
      const releaseKeys = (await releaseServices(ctx).keys.forAgents()).keys;
      return reply.code(201).send({ agentId: id, secret, ...(mqttUrl !== undefined ? { mqttUrl } : {}), releaseKeys, agent: toAgent(row) });
    },
  );

  app.get(
    '/api/agents/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get an agent', params: IdParams, response: withErrors({ 200: Agent }) } },
    async (req) => toAgent(await visibleAgent(ctx, req, req.params.id)),
  );

  const revoke = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const cur = await visibleAgent(ctx, req, req.params.id);
    if (cur.revoked_at !== null) throw conflict(`agent ${cur.id} is already revoked`);
    const now = ctx.now();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('agents').set({ revoked_at: now, online: 0 }).where('id', '=', cur.id).execute();
      await writeAudit(trx, { at: now, actor: actorOf(req), action: 'agent.revoke', entity: 'agent', entityId: cur.id, details: { name: cur.name, siteId: cur.site_id } });
    });
    try {
      ctx.bus.emit('agent-revoked', cur.id);
    } catch (err) {
      req.log.error({ err, agentId: cur.id }, 'an agent-revoked listener failed');
    }
    return toAgent({ ...cur, revoked_at: now, online: 0 });
  };
  const revokeSchema = { tags, summary: 'Revoke an agent’s credentials and drop its connection', params: IdParams, response: withErrors({ 200: Agent }) };
  app.post('/api/agents/:id/revoke', { config: { access: 'write' }, schema: revokeSchema }, revoke);
  app.delete('/api/agents/:id', { config: { access: 'write' }, schema: { ...revokeSchema, summary: 'Same as POST /api/agents/{id}/revoke' } }, revoke);
};
