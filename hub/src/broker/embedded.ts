/**
 * The embedded aedes broker: agent authentication against the state database, the topic
 * ACL, connection rate limiting, and in-process delivery to ingest (no loopback client).
 */
import { Aedes, type AedesPublishPacket, type AuthenticateError, type Client } from 'aedes';
import { filters } from '@ledwatch/protocols';
import type { HubContext } from '../context.js';
import { verifySecret } from '../auth/secrets.js';
import { RateLimiter } from '../auth/rate-limit.js';
import { mayPublish, maySubscribe } from './acl.js';
import { indexRetained } from './retained-index.js';
import { type BrokerLink, type MessageHandler, deliverTo } from './types.js';

const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;
const DELIVERY_CONCURRENCY = 20_000;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export function remoteAddress(client: Client): string {
  const conn = client.conn as { remoteAddress?: string };
  return client.req?.socket.remoteAddress ?? conn.remoteAddress ?? 'unknown';
}

export interface EmbeddedBroker extends BrokerLink {
  readonly aedes: Aedes;
}

export async function createEmbeddedBroker(ctx: HubContext): Promise<EmbeddedBroker> {
  const { log, metrics } = ctx;
  const blog = log.child({ module: 'broker' });
  const limiter = new RateLimiter({ max: ctx.config.auth.mqttMaxFailures, windowS: ctx.config.auth.rateLimitWindowS });
  const lookup = ctx.state.sqlite.prepare<[string], { secret_hash: string; revoked_at: number | null }>(
    'select secret_hash, revoked_at from agents where id = ?',
  );
  let handler: MessageHandler = () => undefined;
  let onDisconnect: (agentId: string) => void = () => undefined;
  let gate: () => Promise<void> | undefined = () => undefined;
  // When each agent message came off its socket (keyed by its payload, which aedes passes on).
  const arrivals = new WeakMap<object, number>();

  const aedes = await Aedes.createBroker({
    // Slow subscribers are dropped instead of buffering without limit.
    drainTimeout: 30_000,
    queueLimit: 100,
    // Deliveries in progress at once (aedes' default: 100). Ingest's telemetry handler lasts
    // until the store has the batch (100 ms or more), so 100 slots capped the hub at ~500
    // batches/s however idle it was. What is in progress is bounded by the store's buffer
    // instead: telemetry waits before PUBACK while it is full (holdTelemetryWhile).
    concurrency: DELIVERY_CONCURRENCY,
    maxClientsIdLength: 64,
    authenticate(client, username, password, done) {
      const addr = remoteAddress(client);
      const keys = [`id:${client.id}`, `addr:${addr}`];
      const fail = (reason: string, code: number): void => {
        metrics.authFailures.inc({ reason });
        for (const k of keys) limiter.hit(k);
        blog.warn({ clientId: client.id, addr, reason }, 'mqtt connect refused');
        done(authError(reason, code), false);
      };
      if (keys.some((k) => !limiter.peek(k).allowed)) {
        metrics.authFailures.inc({ reason: 'rate-limited' });
        blog.warn({ clientId: client.id, addr }, 'mqtt connect refused: too many failures');
        done(authError('too many failed connects', NOT_AUTHORIZED), false);
        return;
      }
      if (username === undefined || username !== client.id || password === undefined) {
        fail('username must equal the client id', BAD_USERNAME_OR_PASSWORD);
        return;
      }
      const row = lookup.get(username);
      if (row === undefined || !verifySecret(password.toString('utf8'), row.secret_hash)) {
        fail('bad credentials', BAD_USERNAME_OR_PASSWORD);
        return;
      }
      if (row.revoked_at !== null) {
        fail('revoked', NOT_AUTHORIZED);
        return;
      }
      for (const k of keys) limiter.reset(k);
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      if (client === null) {
        callback(null);
        return;
      }
      if (mayPublish(client.id, packet.topic)) {
        if (typeof packet.payload === 'object') arrivals.set(packet.payload, Date.now());
        // Held before PUBACK and delivery while the store is full: this client's next socket
        // read waits for this packet, so what agents keep sending stays with them.
        const wait = packet.topic.endsWith('/telemetry') ? gate() : undefined;
        if (wait === undefined) callback(null);
        else wait.then(() => callback(null), () => callback(null));
        return;
      }
      metrics.aclDenied.inc({ action: 'publish' });
      blog.warn({ clientId: client.id, topic: packet.topic }, 'publish refused by ACL');
      callback(new Error('topic not allowed'));
    },
    authorizeSubscribe(client, sub, callback) {
      if (maySubscribe(client.id, sub.topic)) {
        callback(null, sub);
        return;
      }
      metrics.aclDenied.inc({ action: 'subscribe' });
      blog.warn({ clientId: client.id, topic: sub.topic }, 'subscribe refused by ACL');
      callback(null, null);
    },
  });

  // Subscribing scans only the agent's own retained messages, not the fleet's.
  if (!indexRetained(aedes)) blog.warn('aedes persistence is not the memory one: retained lookups scan every retained message');

  const clients = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients;
  aedes.on('client', () => metrics.connected.inc());
  aedes.on('clientDisconnect', (client) => {
    metrics.connected.dec();
    // A takeover replaces the entry before the old connection's event fires.
    if (clients[client.id] === undefined) onDisconnect(client.id);
  });
  aedes.on('clientError', (client, err) => blog.debug({ clientId: client.id, err: err.message }, 'client error'));
  aedes.on('connectionError', (client, err) => blog.debug({ clientId: client.id, err: err.message }, 'connection error'));

  const receivedAt = (payload: unknown): { receivedAt?: number } => {
    const at = typeof payload === 'object' && payload !== null ? arrivals.get(payload) : undefined;
    return at === undefined ? {} : { receivedAt: at };
  };
  const deliver = (packet: AedesPublishPacket, cb: () => void): void => {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    // aedes reads on from the publisher once cb is called: when ingest has taken the message
    // in, not when it is stored (backpressure for a full store is the telemetry gate).
    deliverTo(handler, { topic: packet.topic, payload, ...receivedAt(packet.payload) }, cb, (err) => blog.error({ err, topic: packet.topic }, 'ingest handler failed'));
  };

  return {
    mode: 'embedded',
    aedes,
    onMessage(h) {
      handler = h;
    },
    onAgentDisconnect(h) {
      onDisconnect = h;
    },
    holdTelemetryWhile(g) {
      gate = g;
    },
    async start() {
      await Promise.all(filters.allAgents().map((f) => new Promise<void>((resolve) => aedes.subscribe(f, deliver, resolve))));
    },
    publish(topic, payload, opts) {
      return new Promise((resolve, reject) => {
        aedes.publish({ cmd: 'publish', topic, payload, qos: opts.qos, retain: opts.retain ?? false, dup: false }, (err) =>
          err ? reject(err) : resolve(),
        );
      });
    },
    disconnectAgent(agentId) {
      clients[agentId]?.close();
    },
    isAgentConnected(agentId) {
      return clients[agentId]?.connected === true;
    },
    close() {
      return new Promise((resolve) => aedes.close(() => resolve()));
    },
  };
}
