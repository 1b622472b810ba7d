/**
 * Composition root of a running hub: state database, HTTP app, broker (embedded or
 * external), ingest; started in order and stopped in reverse (graceful shutdown).
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { publicDir } from '@ledwatch/dashboards';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { buildApp } from './app.js';
import type { BrokerLink } from './broker/types.js';
import { createEmbeddedBroker } from './broker/embedded.js';
import { createExternalBroker } from './broker/external.js';
import { PortInUseError, attachMqttWebSocket, closeServer, createMqttTcpServer, createMqttTlsServer, listen } from './broker/listeners.js';
import type { HubConfig } from './config.js';
import type { HubContext } from './context.js';
import { createHubContext } from './context-factory.js';
import { bridgeAlarmsToNotifications } from './notify/alarm-bridge.js';
import { openStateDb } from './db/index.js';
import { Ingest } from './ingest/ingest.js';
import { startInspections, stopInspections } from './inspections/index.js';

export interface RunningHub {
  ctx: HubContext;
  app: FastifyInstance;
  ingest: Ingest;
  broker: BrokerLink;
  /** Base URL of the HTTP API/UI, no trailing slash. */
  url: string;
  /** mqtt:// URL of the embedded broker, or the external broker's URL. */
  mqttUrl: string;
  mqttsUrl?: string;
  wsUrl?: string;
  close(): Promise<void>;
}

export function createLogger(config: HubConfig): Logger {
  return pino({
    level: config.log.level,
    name: 'ledwatch-hub',
    redact: { paths: ['req.headers.authorization', '*.password', '*.secret', '*.token'], censor: '[redacted]' },
  });
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startHub(config: HubConfig, opts: { log?: Logger; now?: () => number } = {}): Promise<RunningHub> {
  const log = opts.log ?? createLogger(config);
  const state = await openStateDb(join(config.data.dir, 'ledwatch.db'));
  const ctx = createHubContext({ config, log, state, ...(opts.now ? { now: opts.now } : {}) });
  const servers: Server[] = [];
  let wss: WebSocketServer | undefined;
  let app: FastifyInstance | undefined;
  let broker: BrokerLink | undefined;

  const close = async (): Promise<void> => {
    log.info('hub stopping');
    wss?.clients.forEach((c) => c.terminate());
    wss?.close();
    // Stop accepting first; the listeners finish closing once the broker has dropped its
    // clients (awaiting them before broker.close() hung while agents were connected).
    const listenersClosed = Promise.all(servers.map((s) => closeServer(s)));
    // Dropping the agents' connections (and any Last Will that fires) is the hub's doing, not
    // agents going offline: they stay online in the database, and the next start gives them
    // alarms' offlineGraceS to come back (ingest.resetOnline → alarms.expectAgents).
    broker?.onAgentDisconnect(() => undefined);
    broker?.onMessage(() => undefined);
    await broker?.close();
    await listenersClosed;
    await app?.close();
    await stopInspections(ctx); // before the database closes: a running inspection finishes its report
    ctx.tickets.close();
    ctx.alarms.close();
    await ctx.notify.close(); // stops timers and retries; unsent notifications resume at the next start
    await ctx.telemetry.close(); // flushes buffered points before the database closes
    ctx.latest.close(); // writes the latest readings still waiting
    await state.close();
    log.info('hub stopped');
  };

  try {
    const tls =
      config.tls.cert !== undefined && config.tls.key !== undefined
        ? { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) }
        : undefined;
    app = await buildApp(ctx, { ...(tls ? { https: tls } : {}), dashboardsDir: publicDir });

    const externalUrl = config.mqtt.externalUrl;
    const embedded = externalUrl === undefined ? await createEmbeddedBroker(ctx) : undefined;
    broker = embedded ?? createExternalBroker(ctx, externalUrl as string);
    const ingest = new Ingest(ctx, broker);
    ctx.commands.attach(broker);
    ingest.resetOnline();
    ctx.tickets.start(); // before agents connect: subscribes to alarms, reloads open tickets' SLA clocks
    await startInspections(ctx);
    await broker.start();
    ctx.notify.start();
    bridgeAlarmsToNotifications(ctx);

    await app.listen({ host: config.http.host, port: config.http.port }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EADDRINUSE'
        ? new PortInUseError('HTTP', config.http.host, config.http.port, 'set http.port in hub.yaml, or LEDWATCH_HTTP_PORT or PORT, to a free port')
        : err;
    });
    const httpPort = (app.server.address() as { port: number }).port;
    const scheme = tls ? 'https' : 'http';
    const host = hostForUrl(config.http.host);
    const url = (config.http.publicUrl ?? `${scheme}://${host}:${httpPort}`).replace(/\/+$/, '');
    let mqttUrl = externalUrl ?? '';
    let mqttsUrl: string | undefined;
    let wsUrl: string | undefined;

    if (embedded) {
      const tcp = createMqttTcpServer(embedded.aedes, ctx.metrics);
      servers.push(tcp);
      const mqttPort = await listen(tcp, config.mqtt.port, config.mqtt.host, 'MQTT', 'set mqtt.port in hub.yaml or LEDWATCH_MQTT_PORT to a free port');
      mqttUrl = `mqtt://${hostForUrl(config.mqtt.host)}:${mqttPort}`;
      if (tls) {
        const tlsServer = createMqttTlsServer(embedded.aedes, ctx.metrics, tls);
        servers.push(tlsServer);
        const p = await listen(tlsServer, config.mqtt.tlsPort, config.mqtt.host, 'MQTTS', 'set mqtt.tlsPort in hub.yaml or LEDWATCH_MQTT_TLS_PORT to a free port');
        mqttsUrl = `mqtts://${hostForUrl(config.mqtt.host)}:${p}`;
      }
      wss = attachMqttWebSocket(embedded.aedes, ctx.metrics, app.server, config.mqtt.websocketPath);
      wsUrl = `${tls ? 'wss' : 'ws'}://${host}:${httpPort}${config.mqtt.websocketPath}`;
    }
    log.info({ url, mqttUrl, mqttsUrl, wsUrl, broker: broker.mode }, 'hub started');
    return {
      ctx,
      app,
      ingest,
      broker,
      url,
      mqttUrl,
      ...(mqttsUrl ? { mqttsUrl } : {}),
      ...(wsUrl ? { wsUrl } : {}),
      close,
    };
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
}
