/**
 * The hub's HTTP application: plugins → auth → routes → dashboards. Builds the Fastify
 * instance without listening; main.ts listens and attaches MQTT over WebSocket to
 * `app.server`.
 */
import { resolve as resolvePath } from 'node:path';
import fastifyStatic from '@fastify/static';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAuth } from './auth/hook.js';
import type { HubContext } from './context.js';
import { registerDocs } from './routes/docs.js';
import { registerBodyParsing, registerErrorHandlers } from './routes/error-handler.js';
import { registerRoutes } from './routes/index.js';
import type { HubApp } from './routes/types.js';

export interface BuildAppOptions {
  https?: { cert: Buffer | string; key: Buffer | string };
  /** Folder of the built dashboards, served at `/`. */
  dashboardsDir?: string;
}

/** Request fields never written to the log. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', 'res.headers["set-cookie"]'];

export async function buildApp(ctx: HubContext, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app: HubApp = Fastify({
    loggerInstance: ctx.log.child({ module: 'http' }, { redact: { paths: REDACT, censor: '[redacted]' } }),
    trustProxy: ctx.config.http.trustProxy,
    ...(opts.https !== undefined ? { https: { cert: opts.https.cert, key: opts.https.key } } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as HubApp;

  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  registerBodyParsing(app);
  registerErrorHandlers(app);
  registerAuth(app, ctx); // before any plugin, so every route inherits the auth hook
  await registerDocs(app);
  registerRoutes(app, ctx);
  if (opts.dashboardsDir !== undefined) {
    await app.register(fastifyStatic, { root: resolvePath(opts.dashboardsDir), prefix: '/', index: ['index.html'], redirect: false });
  }
  return app as unknown as FastifyInstance;
}
