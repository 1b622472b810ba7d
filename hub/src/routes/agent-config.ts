/**
 * Remote configuration and commands of an agent: push a new config version (the agent
 * applies it without a restart or rejects it with its errors), read the versions, and
 * follow the commands sent to it.
 */
import { RemoteAgentConfig } from '@ledwatch/protocols';
import { Type } from 'typebox';
import { AgentConfigService } from '../agent-config/service.js';
import { writeAudit } from '../audit/log.js';
import { conflict, notFound } from '../errors.js';
import { visibleAgent } from './agents.js';
import { Id, IdParams, ListOf, Ms, Nullable, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const ConfigVersion = Type.Object({
  version: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('applied'), Type.Literal('rejected'), Type.Literal('superseded')]),
  config: RemoteAgentConfig,
  commandId: Nullable(Type.String()),
  errors: Nullable(Type.Array(Type.String())),
  createdAt: Ms,
  createdBy: Nullable(Type.String()),
  appliedAt: Nullable(Ms),
});

const ConfigState = Type.Object({
  agentId: Id,
  appliedVersion: Nullable(Type.Integer({ description: 'version the agent last reported applying' })),
  latest: Nullable(ConfigVersion),
});

const Command = Type.Object({
  id: Type.String(),
  agentId: Id,
  type: Type.String(),
  params: Nullable(Type.Record(Type.String(), Type.Unknown())),
  state: Type.String(),
  issuedAt: Ms,
  sentAt: Nullable(Ms),
  updatedAt: Ms,
  result: Nullable(Type.Record(Type.String(), Type.Unknown())),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
});

const VersionParams = Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) });
const CommandParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export const agentConfigRoutes: RouteModule = (app, ctx) => {
  const service = new AgentConfigService(ctx);
  const tags = ['agents'];

  app.get(
    '/api/agents/:id/config',
    { config: { access: 'read' }, schema: { tags, summary: 'The agent’s remote configuration: latest version and the one it applied', params: IdParams, response: withErrors({ 200: ConfigState }) } },
    async (req) => {
      const agent = await visibleAgent(ctx, req, req.params.id);
      const [latest] = await service.versions(agent.id);
      return { agentId: agent.id, appliedVersion: agent.config_version ?? null, latest: latest ?? null };
    },
  );

  app.get(
    '/api/agents/:id/config/versions',
    { config: { access: 'read' }, schema: { tags, summary: 'Every configuration version pushed to the agent, newest first', params: IdParams, response: withErrors({ 200: ListOf(ConfigVersion) }) } },
    async (req) => ({ items: await service.versions((await visibleAgent(ctx, req, req.params.id)).id) }),
  );

  app.get(
    '/api/agents/:id/config/versions/:version',
    { config: { access: 'read' }, schema: { tags, summary: 'One configuration version', params: VersionParams, response: withErrors({ 200: ConfigVersion }) } },
    async (req) => {
      const agent = await visibleAgent(ctx, req, req.params.id);
      const v = await service.get(agent.id, req.params.version);
      if (v === undefined) throw notFound('config version', String(req.params.version));
      return v;
    },
  );

  app.put(
    '/api/agents/:id/config',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Push a new configuration (devices, drivers, poll intervals); the agent applies it without a restart or rejects it',
        params: IdParams,
        body: RemoteAgentConfig,
        response: withErrors({ 202: ConfigVersion }),
      },
    },
    async (req, reply) => {
      const agent = await visibleAgent(ctx, req, req.params.id);
      if (agent.revoked_at !== null) throw conflict(`agent ${agent.id} is revoked`);
      const ids = req.body.devices.map((d) => d.id);
      const dup = ids.find((id, i) => ids.indexOf(id) !== i);
      if (dup !== undefined) throw conflict(`device id ${dup} appears twice`);
      const principal = principalOf(req);
      const pushed = await service.push(agent.id, req.body, principal.userId);
      await writeAudit(ctx.state.db, {
        at: ctx.now(),
        actor: actorOf(req),
        action: 'agent.config.push',
        entity: 'agent',
        entityId: agent.id,
        details: { version: pushed.version, devices: ids },
      });
      return reply.code(202).send(pushed);
    },
  );

  app.get(
    '/api/agents/:id/commands',
    { config: { access: 'read' }, schema: { tags, summary: 'Commands sent to the agent, newest first', params: IdParams, response: withErrors({ 200: ListOf(Command) }) } },
    async (req) => ({ items: await ctx.commands.list((await visibleAgent(ctx, req, req.params.id)).id) }),
  );

  app.get(
    '/api/commands/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'One command and its result', params: CommandParams, response: withErrors({ 200: Command }) } },
    async (req) => {
      const cmd = await ctx.commands.get(req.params.id);
      if (cmd === undefined) throw notFound('command', req.params.id);
      await visibleAgent(ctx, req, cmd.agentId); // scoping: a customer sees only its own
      return cmd;
    },
  );
};
