/**
 * Releases: upload a signed manifest, then its artifact (streamed, checked against the
 * manifest); list, get, yank; download the artifact with range requests (agents with their
 * Basic credentials, users with a token); and the agents' channel for upgrade progress
 * (`cmd-result` payloads over HTTP, since a restarting agent and its supervisor have no
 * MQTT session).
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CmdResultPayload } from '@ledwatch/protocols';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { bearerToken } from '../auth/hook.js';
import { authenticateToken } from '../auth/tokens.js';
import { notFound, unauthorized } from '../errors.js';
import { releaseServices } from '../releases/index.js';
import { parseRange } from '../releases/ranges.js';
import { IdParams, ListOf, Ms, Nullable, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const Release = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  version: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
  ready: Type.Boolean({ description: 'the artifact is uploaded and matches the manifest' }),
  yankedAt: Nullable(Ms),
  yankReason: Nullable(Type.String()),
  createdAt: Ms,
  createdBy: Nullable(Type.String()),
  manifest: Type.Unknown(),
});
const CreateRelease = Type.Object({ signed: Type.Unknown({ description: 'output of `ledwatch-hub release sign`' }) }, { additionalProperties: false });
const Yank = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const releaseRoutes: RouteModule = (app, ctx) => {
  const services = releaseServices(ctx);
  const { store } = services;
  const tags = ['releases'];

  app.addHook('onListen', function onListen(done) {
    const addr = app.server.address();
    if (addr !== null && typeof addr === 'object') {
      const host = addr.address === '0.0.0.0' || addr.address === '::' ? '127.0.0.1' : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      services.setListenUrl(`${app.initialConfig.https ? 'https' : 'http'}://${host}:${addr.port}`);
    }
    if (ctx.config.http.publicUrl === undefined) ctx.log.info('http.publicUrl is not set: upgrade commands point agents at the address the hub listens on');
    services.rollouts.start();
    done();
  });
  app.addHook('onClose', (_app, done) => {
    services.rollouts.stop();
    done();
  });

  // The artifact arrives as a raw stream; it is hashed on its way to disk.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));

  app.get('/api/releases', { config: { access: 'read' }, schema: { tags, summary: 'Releases, newest first', response: withErrors({ 200: ListOf(Release) }) } }, async () => ({
    items: await store.list(),
  }));

  app.post(
    '/api/releases',
    { config: { access: 'write' }, schema: { tags, summary: 'Upload a signed manifest (refused unless signed by a registered release key)', body: CreateRelease, response: withErrors({ 201: Release }) } },
    async (req, reply) => {
      const release = await store.create(req.body.signed, principalOf(req).userId);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'release.create', entity: 'release', entityId: release.id, details: { version: release.version, sha256: release.sha256 } });
      return reply.code(201).send(release);
    },
  );

  app.put(
    '/api/releases/:id/artifact',
    {
      config: { access: 'write' },
      bodyLimit: 4 * 1024 ** 3,
      schema: { tags, summary: 'Upload the artifact (application/octet-stream); refused unless its SHA-256 and size match the manifest', params: IdParams, response: withErrors({ 200: Release }) },
    },
    async (req) => {
      const release = await store.putArtifact(req.params.id, req.body as Readable);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'release.artifact', entity: 'release', entityId: release.id, details: { size: release.size } });
      return release;
    },
  );

  app.get('/api/releases/:id', { config: { access: 'read' }, schema: { tags, summary: 'One release', params: IdParams, response: withErrors({ 200: Release }) } }, async (req) => {
    const r = await store.get(req.params.id);
    if (r === undefined) throw notFound('release', req.params.id);
    return r;
  });

  app.post(
    '/api/releases/:id/yank',
    { config: { access: 'write' }, schema: { tags, summary: 'Withdraw a release: no rollout sends it again', params: IdParams, body: Yank, response: withErrors({ 200: Release }) } },
    async (req) => {
      const r = await store.yank(req.params.id, req.body.reason ?? null);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'release.yank', entity: 'release', entityId: r.id, details: { reason: req.body.reason ?? null } });
      return r;
    },
  );

  app.get(
    '/api/releases/:id/artifact',
    { config: { access: 'public' }, schema: { tags, summary: 'Download the artifact (agent Basic credentials or a bearer token); supports Range for resume', params: IdParams } },
    async (req, reply) => {
      const auth = req.headers.authorization;
      const token = bearerToken(auth);
      if (token !== null) {
        if ((await authenticateToken(ctx.state.db, token, ctx.now())) === null) throw unauthorized('invalid, expired or revoked token');
      } else await services.agentAuth.authenticate(auth, req.ip);
      const art = await store.artifact(req.params.id);
      const etag = `"${art.sha256}"`;
      const ifRange = req.headers['if-range'];
      const range = ifRange !== undefined && ifRange !== etag ? ({ kind: 'full' } as const) : parseRange(req.headers.range, art.size);
      void reply.header('accept-ranges', 'bytes').header('etag', etag).header('content-type', 'application/octet-stream');
      if (range.kind === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${art.size}`).send();
      if (range.kind === 'partial') {
        void reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${art.size}`).header('content-length', range.end - range.start + 1);
        return reply.send(createReadStream(art.path, { start: range.start, end: range.end }));
      }
      void reply.header('content-length', art.size);
      return reply.send(createReadStream(art.path));
    },
  );

  app.post(
    '/api/agent/cmd-results',
    { config: { access: 'public' }, schema: { tags: ['agents'], summary: 'Agents (HTTP Basic) report command progress, e.g. upgrade stages, as cmd-result payloads', body: CmdResultPayload } },
    async (req, reply) => {
      const agentId = await services.agentAuth.authenticate(req.headers.authorization, req.ip);
      await ctx.commands.handleResult(agentId, req.body);
      return reply.code(204).send();
    },
  );
};
