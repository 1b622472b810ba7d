/**
 * The MQTT link to the hub (mqtt.js v5 over mqtt://, mqtts://, ws:// or wss://).
 *
 * Every connection attempt is a fresh client with a fresh random session id and a Last
 * Will (`status` offline/lost, retained) naming that session. On every connect: birth —
 * status online and inventory, both retained QoS 1 — and a subscription to the agent's
 * `ack` and `cmd/+`; then the durable outbox goes out in seq order, paced and windowed by
 * the outbox's Sender (outbox/sender.ts). mqtt.js's own fixed
 * reconnect is off: the link reconnects with exponential backoff and full jitter, and
 * resets the backoff once a connection has held for `stableAfterMs` (so two agents
 * fighting over one client id, or a broker that accepts and then drops us, cannot make a
 * reconnect storm). Every batch is stored in the outbox before it is sent and stays there
 * until the hub's `ack` covers it, so batches unacked when a connection drops (or the
 * process dies) are sent again on the next one; the hub stores a replayed seq idempotently.
 * The link does not own the outbox: whoever opened it closes it after `stop()`.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import {
  decodePayload,
  encodePayload,
  filters,
  parseTopic,
  topics,
  type AgentEvent,
  type CmdPayload,
  type CmdResultPayload,
  type InventoryDevice,
  type Reading,
  type StatusPayload,
} from '@ledwatch/protocols';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { raceAbort } from './abort.js';
import { Backoff } from './backoff.js';
import { type CommandContext, handleCommand, RecentCommands } from './commands.js';
import { errorMessage } from './errors.js';
import { silentLogger, type Logger } from './log.js';
import type { Outbox, OutboxRecord, OutboxStats } from './outbox/outbox.js';
import { Sender } from './outbox/sender.js';

export interface LinkOptions {
  agentId: string;
  secret: string;
  url: string;
  ca?: Buffer | undefined;
  rejectUnauthorized?: boolean;
  keepaliveS: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  version: string;
  /** When the agent process started (status.startedAt). */
  startedAt: number;
  /** Collects the inventory published at every birth. */
  inventory: () => Promise<InventoryDevice[]>;
  /** Stores every batch (and hands out its seq) until the hub acks it. */
  outbox: Outbox;
  /** Most batches sent per second, replays included (50). */
  replayRatePerS?: number;
  /** Most batches sent and not yet acked by the hub (50). */
  maxInFlight?: number;
  /** Most payload bytes sent and not yet acked by the hub (1 MiB; one batch always goes). */
  maxInFlightBytes?: number;
  /** How long the hub may leave a sent batch unacked before it is sent again (30 s). */
  ackTimeoutMs?: number;
  log?: Logger;
  now?: () => number;
  random?: () => number;
  connectTimeoutMs?: number;
  stableAfterMs?: number;
  /** Handles `config` commands; without it they are rejected as unsupported. */
  applyConfig?: CommandContext['applyConfig'];
  /** Collects inspection facts for `inspect` commands. */
  inspect?: CommandContext['inspect'];
  /** Starts `upgrade` commands. */
  upgrade?: CommandContext['upgrade'];
  /** Remote configuration version in force, reported in every status. */
  configVersion?: () => number;
}

export interface LinkStats {
  connects: number;
  disconnects: number;
  /** Batches the broker took (PUBACK), resends included. */
  published: number;
  /** Batches in the outbox, waiting for the hub's ack. */
  queued: number;
  /** Batches the outbox bounds dropped since start. */
  dropped: number;
  ackedSeq: number | undefined;
  /** Batches sent and not yet acked by the hub. */
  inFlight: number;
  /** Batches sent that were already stored when their connection came up. */
  replayed: number;
  /** Batches sent again because the hub did not ack them in time. */
  resent: number;
  invalidMessages: number;
  commands: number;
  outbox: OutboxStats;
}

export interface LinkEvents {
  connected: [sessionId: string];
  disconnected: [];
  drained: [];
}

/** A random, contract-valid session id (base64url, 16 characters). */
export function newSessionId(): string {
  return randomBytes(12).toString('base64url');
}

export class Link extends EventEmitter<LinkEvents> {
  readonly #o: LinkOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #backoff: Backoff;
  readonly #outbox: Outbox;
  readonly #sender: Sender;
  readonly #recentCmds = new RecentCommands();
  #client: MqttClient | undefined;
  #generation = 0;
  #sessionId = '';
  #connectedAt: number | undefined;
  #started = false;
  #stopping = false;
  #stopped: Promise<void> | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  readonly #stats = { connects: 0, disconnects: 0, invalidMessages: 0, commands: 0 };

  constructor(opts: LinkOptions) {
    super();
    this.#o = opts;
    this.#log = opts.log ?? silentLogger();
    this.#now = opts.now ?? Date.now;
    this.#backoff = new Backoff(opts.reconnectMinMs, opts.reconnectMaxMs, opts.random);
    this.#outbox = opts.outbox;
    this.#sender = new Sender({
      outbox: opts.outbox,
      publish: (record, prev) => this.#publishRecord(record, prev),
      ratePerS: opts.replayRatePerS ?? 50,
      maxInFlight: opts.maxInFlight ?? 50,
      maxInFlightBytes: opts.maxInFlightBytes ?? 1_048_576,
      ackTimeoutMs: opts.ackTimeoutMs ?? 30_000,
      log: this.#log,
      now: this.#now,
      onDrained: () => this.emit('drained'),
    });
  }

  get connected(): boolean {
    return this.#connectedAt !== undefined;
  }

  /** Id of the current (or last attempted) MQTT session. */
  get sessionId(): string {
    return this.#sessionId;
  }

  stats(): LinkStats {
    const outbox = this.#outbox.stats();
    return { ...this.#stats, ...this.#sender.stats(), queued: outbox.rows, dropped: outbox.droppedBatches, outbox };
  }

  start(): void {
    if (this.#started || this.#stopping) return;
    this.#started = true;
    this.#connect();
  }

  /**
   * Stores a batch of readings in the outbox under the next seq and sends it now or after
   * reconnect; resolves with the seq (undefined for no readings). A batch that breaks the
   * contract is refused with a ContractError and never stored.
   */
  async sendTelemetry(readings: Reading[]): Promise<number | undefined> {
    if (readings.length === 0) return undefined;
    encodePayload('telemetry', { seq: 0, readings }); // checks the contract before storing
    const seq = await this.#outbox.append('telemetry', readings);
    this.#sender.pump();
    return seq;
  }

  /** Stores agent events in the outbox (same seq space as telemetry) and sends them. */
  async sendEvents(events: AgentEvent[]): Promise<number | undefined> {
    if (events.length === 0) return undefined;
    encodePayload('events', { seq: 0, events });
    const seq = await this.#outbox.append('events', events);
    this.#sender.pump();
    return seq;
  }

  /** Republishes status and inventory on the current connection. */
  async rebirth(): Promise<void> {
    const client = this.#client;
    if (client === undefined || !this.connected) throw new Error('not connected to the hub');
    await this.#publishBirth(client, this.#generation);
  }

  /**
   * Clean shutdown: waits up to `drainMs` until the broker has taken every stored batch,
   * publishes status offline/shutdown (retained), then disconnects gracefully so no Last
   * Will fires. Batches the hub has not acked stay in the outbox for the next start.
   */
  stop(opts: { drainMs?: number } = {}): Promise<void> {
    this.#stopped ??= this.#stop(opts.drainMs ?? 5000);
    return this.#stopped;
  }

  async #stop(drainMs: number): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#reconnectTimer);
    const client = this.#client;
    if (client === undefined) return;
    if (this.connected) {
      if (!this.#sender.drained) await this.#waitDrained(drainMs);
      this.#sender.end();
      const status = this.#status('offline', this.#sessionId, this.#now(), 'shutdown');
      try {
        await raceAbort(client.publishAsync(topics.status(this.#o.agentId), encodePayload('status', status), { qos: 1, retain: true }), AbortSignal.timeout(5000));
      } catch (err) {
        this.#log.warn({ err: errorMessage(err) }, 'could not publish the offline status');
      }
      const unacked = Object.keys(client.outgoing).length;
      if (unacked === 0) {
        // DISCONNECT, so the broker discards the Last Will and the offline status stands.
        try {
          await raceAbort(client.endAsync(false), AbortSignal.timeout(5000));
        } catch {
          client.stream.destroy();
        }
      } else {
        // mqtt.js would wait for these PUBACKs forever; without DISCONNECT the Last Will fires.
        this.#log.warn({ unacked }, 'broker left messages unacknowledged; closing without a clean disconnect');
        await client.endAsync(true);
      }
    } else {
      await client.endAsync(true);
    }
    this.#sender.end();
    const left = this.#outbox.stats().rows;
    if (left > 0) this.#log.info({ batches: left }, 'batches the hub has not acked stay in the outbox; they are sent after the next start');
    this.#generation++;
    this.#client = undefined;
    this.#connectedAt = undefined;
  }

  #connect(): void {
    const generation = ++this.#generation;
    const sessionId = newSessionId();
    this.#sessionId = sessionId;
    const { agentId } = this.#o;
    const will = this.#status('offline', sessionId, this.#now(), 'lost');
    const options: IClientOptions = {
      clientId: agentId,
      username: agentId,
      password: this.#o.secret,
      keepalive: this.#o.keepaliveS,
      clean: true,
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: this.#o.connectTimeoutMs ?? 10_000,
      rejectUnauthorized: this.#o.rejectUnauthorized ?? true,
      will: { topic: topics.status(agentId), payload: encodePayload('status', will), qos: 1, retain: true },
    };
    if (this.#o.ca !== undefined) options.ca = this.#o.ca;
    this.#log.debug({ url: this.#o.url, sessionId }, 'connecting to the hub');
    const client = connect(this.#o.url, options);
    this.#client = client;
    client.on('connect', () => this.#onConnect(client, generation));
    client.on('message', (topic, payload) => this.#onMessage(topic, payload, generation));
    client.on('error', (err) => {
      this.#log.warn({ err: err.message, sessionId }, 'MQTT error');
      if (!client.connected) client.end(true);
    });
    client.on('close', () => this.#onClose(client, generation));
  }

  #onConnect(client: MqttClient, generation: number): void {
    if (generation !== this.#generation) return;
    (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    this.#connectedAt = this.#now();
    this.#stats.connects++;
    this.#log.info({ url: this.#o.url, sessionId: this.#sessionId }, 'connected to the hub');
    this.emit('connected', this.#sessionId);
    client.subscribe(filters.forAgent(this.#o.agentId), { qos: 1 }, (err) => {
      if (err) this.#log.warn({ err: err.message }, 'could not subscribe to acks and commands');
    });
    // Telemetry follows the birth; a failed birth is logged but does not hold it back.
    void this.#publishBirth(client, generation)
      .catch((err: unknown) => this.#log.warn({ err: errorMessage(err) }, 'birth failed'))
      .finally(() => {
        if (generation !== this.#generation) return;
        this.#sender.begin();
      });
  }

  #onClose(client: MqttClient, generation: number): void {
    if (generation !== this.#generation || this.#client !== client) return;
    const wasConnected = this.#connectedAt !== undefined;
    if (wasConnected && this.#now() - (this.#connectedAt ?? 0) >= (this.#o.stableAfterMs ?? 10_000)) this.#backoff.reset();
    this.#connectedAt = undefined;
    this.#sender.end();
    if (this.#stopping) return;
    this.#client = undefined;
    // This client is done; its late callbacks carry an old generation and are ignored.
    if (!client.disconnecting) client.end(true);
    if (wasConnected) {
      this.#stats.disconnects++;
      this.#log.warn({ sessionId: this.#sessionId }, 'lost the hub connection');
      this.emit('disconnected');
    }
    const delay = this.#backoff.next();
    this.#log.debug({ delayMs: delay }, 'reconnecting later');
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  async #publishBirth(client: MqttClient, generation: number): Promise<void> {
    const { agentId } = this.#o;
    const status = this.#status('online', this.#sessionId, this.#now());
    const sent = client.publishAsync(topics.status(agentId), encodePayload('status', status), { qos: 1, retain: true });
    void sent.catch(() => undefined); // awaited below; meanwhile a rejection must not go unhandled
    const devices = await this.#o.inventory();
    if (generation !== this.#generation) return;
    const inventory = encodePayload('inventory', { sessionId: this.#sessionId, at: this.#now(), devices });
    await Promise.all([sent, client.publishAsync(topics.inventory(agentId), inventory, { qos: 1, retain: true })]);
  }

  /** Publishes one stored batch with this session's id and the send time. */
  #publishRecord(record: OutboxRecord, prev: number | undefined): Promise<'sent' | 'dropped'> {
    const client = this.#client;
    if (client === undefined) return Promise.reject(new Error('not connected'));
    const { agentId } = this.#o;
    let payload: Buffer;
    const chain = prev === undefined ? {} : { prev };
    try {
      const items = JSON.parse(record.body) as unknown;
      payload =
        record.kind === 'telemetry'
          ? encodePayload('telemetry', { seq: record.seq, ...chain, sessionId: this.#sessionId, sentAt: this.#now(), readings: items as Reading[] })
          : encodePayload('events', { seq: record.seq, ...chain, sessionId: this.#sessionId, events: items as AgentEvent[] });
    } catch (err) {
      this.#outbox.remove(record.seq);
      this.#log.error({ seq: record.seq, kind: record.kind, err: errorMessage(err) }, 'stored batch does not match the contract; dropped');
      return Promise.resolve('dropped');
    }
    const topic = record.kind === 'telemetry' ? topics.telemetry(agentId) : topics.events(agentId);
    return client.publishAsync(topic, payload, { qos: 1 }).then(() => 'sent' as const);
  }

  #onMessage(topic: string, payload: Buffer, generation: number): void {
    if (generation !== this.#generation) return;
    this.#log.trace({ dir: 'in', topic, hex: payload.subarray(0, 256).toString('hex') }, 'message');
    const parsed = parseTopic(topic);
    try {
      if (parsed?.agentId === this.#o.agentId && parsed.kind === 'ack') {
        this.#onAck(decodePayload('ack', payload).seq);
      } else if (parsed?.agentId === this.#o.agentId && parsed.kind === 'cmd' && parsed.cmdId !== undefined) {
        const cmd = decodePayload('cmd', payload);
        if (cmd.id !== parsed.cmdId) throw Object.assign(new Error(`command id ${cmd.id} differs from the topic's ${parsed.cmdId}`), { code: 'cmd-id-mismatch' });
        this.#onCommand(cmd);
      } else {
        throw Object.assign(new Error('not a topic this agent handles'), { code: 'unknown-topic' });
      }
    } catch (err) {
      this.#stats.invalidMessages++;
      this.#log.warn({ topic, code: (err as { code?: string }).code, err: errorMessage(err) }, 'ignored an invalid message from the hub');
    }
  }

  #onAck(seq: number): void {
    const trimmed = this.#sender.acked(seq);
    if (trimmed > 0) this.#log.debug({ seq, trimmed }, 'hub acked stored batches');
  }

  #onCommand(cmd: CmdPayload): void {
    const client = this.#client;
    const answer = (result: CmdResultPayload): Promise<unknown> | undefined =>
      client?.publishAsync(topics.cmdResult(this.#o.agentId, cmd.id), encodePayload('cmd-result', result), { qos: 1 });
    const seen = this.#recentCmds.get(cmd.id);
    if (seen !== undefined) {
      this.#log.debug({ id: cmd.id }, 'command already handled; answering again');
      seen.then(answer).catch((err: unknown) => this.#log.warn({ id: cmd.id, err: errorMessage(err) }, 'could not answer a command'));
      return;
    }
    if (cmd.expiresAt !== undefined && cmd.expiresAt < this.#now()) {
      return this.#log.info({ id: cmd.id, type: cmd.type }, 'ignored an expired command');
    }
    this.#stats.commands++;
    this.#log.info({ id: cmd.id, type: cmd.type }, 'command received');
    const ctx: CommandContext = { rebirth: () => this.rebirth(), now: this.#now };
    if (this.#o.applyConfig !== undefined) ctx.applyConfig = this.#o.applyConfig;
    if (this.#o.inspect !== undefined) ctx.inspect = this.#o.inspect;
    if (this.#o.upgrade !== undefined) ctx.upgrade = this.#o.upgrade;
    const result = handleCommand(cmd, ctx);
    this.#recentCmds.remember(cmd.id, result);
    result.then(answer).catch((err: unknown) => this.#log.warn({ id: cmd.id, err: errorMessage(err) }, 'could not answer a command'));
  }

  #waitDrained(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('drained', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.on('drained', done);
    });
  }

  #status(state: StatusPayload['state'], sessionId: string, at: number, reason?: StatusPayload['reason']): StatusPayload {
    const status: StatusPayload = {
      state,
      version: this.#o.version.slice(0, 64),
      sessionId,
      startedAt: this.#o.startedAt,
      at,
      hostname: os.hostname().slice(0, 255),
      platform: `${process.platform}-${process.arch}`,
      keepaliveS: this.#o.keepaliveS,
    };
    if (reason !== undefined) status.reason = reason;
    const configVersion = this.#o.configVersion?.();
    if (configVersion !== undefined) status.configVersion = configVersion;
    return status;
  }
}
