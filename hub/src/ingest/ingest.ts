/**
 * Ingest: every message agents publish passes through here. It is validated against the
 * contract, applied to the state database (agents online/last seen, inventory, latest
 * reading per device and component, events) and acknowledged by seq once stored. Bad
 * input is counted and logged, never thrown.
 */
import { randomBytes } from 'node:crypto';
import {
  ContractError,
  type EventsPayload,
  type InventoryPayload,
  type StatusPayload,
  type TelemetryPayload,
  type TopicKind,
  decodePayload,
  encodePayload,
  parseTopic,
  topics,
} from '@ledwatch/protocols';
import type { Logger } from 'pino';
import type { BrokerLink, InboundMessage } from '../broker/types.js';
import type { HubContext } from '../context.js';
import type { PointOwner } from '../telemetry/index.js';
import { AckTracker } from './acks.js';
import { ClockSkewTracker } from './clock.js';
import { type IngestStatements, prepareIngestStatements } from './statements.js';

const REBIRTH_MIN_INTERVAL_MS = 60_000;

interface AgentInfo {
  id: string;
  siteId: string;
  customerId: string;
  revoked: boolean;
  sessionId: string | null;
  /** The tags of its points, built once. */
  owner: PointOwner;
  /** Device id → the state DB's device pk, as ingest learns them. */
  devices: Map<string, number>;
}

export class Ingest {
  private readonly st: IngestStatements;
  private readonly log: Logger;
  private readonly agents = new Map<string, AgentInfo>();
  private readonly lastRebirth = new Map<string, number>();
  private readonly acks: AckTracker;
  private readonly clock: ClockSkewTracker;
  /** Telemetry waiting for room in the store now, and when the last wait ended (hub time). */
  private holds = 0;
  private heldUntil = -Infinity;

  constructor(
    private readonly ctx: HubContext,
    private readonly link: BrokerLink,
  ) {
    this.st = prepareIngestStatements(ctx.state.sqlite);
    this.log = ctx.log.child({ module: 'ingest' });
    this.acks = new AckTracker((agentId, seq) => this.ack(agentId, seq), this.log);
    this.clock = new ClockSkewTracker(ctx.config.ingest.maxClockSkewS * 1000);
    ctx.bus.on('agent-revoked', (id) => {
      this.agents.delete(id);
      this.markOffline(id);
      link.disconnectAgent(id);
    });
    link.onAgentDisconnect((id) => {
      this.acks.forget(id);
      this.markOffline(id);
    });
    link.onMessage((msg) => this.handle(msg));
    link.holdTelemetryWhile?.(() => this.room());
  }

  /**
   * The store's room(), remembering holds: while telemetry waits for room, what agents send
   * queues in their sockets (or an external broker), and arrives late at the hub.
   */
  private room(): Promise<void> | undefined {
    const wait = this.ctx.telemetry.room();
    if (wait === undefined) return undefined;
    this.holds++;
    return wait.finally(() => {
      this.holds--;
      this.heldUntil = this.ctx.now();
    });
  }

  /** Nobody is connected to a broker that just started; retained statuses re-mark the rest. */
  resetOnline(): void {
    this.ctx.alarms.expectAgents(); // those online until now get a grace period to come back
    this.st.allOffline.run();
  }

  async handle(msg: InboundMessage): Promise<void> {
    const parsed = parseTopic(msg.topic);
    if (parsed === undefined) {
      this.reject('unknown', 'unknown-topic', msg.topic);
      return;
    }
    const { agentId, kind } = parsed;
    const agent = this.agent(agentId);
    if (agent === undefined || agent.revoked) {
      this.reject(kind, agent === undefined ? 'unknown-agent' : 'revoked-agent', msg.topic);
      return;
    }
    if (msg.payload.length === 0 && kind === 'status') return; // retained status being cleared
    try {
      switch (kind) {
        case 'status':
          this.onStatus(agent, decodePayload('status', msg.payload));
          break;
        case 'inventory':
          this.onInventory(agent, decodePayload('inventory', msg.payload));
          break;
        case 'telemetry': {
          // Hold back before decoding and applying while the store is full, not after.
          const room = this.room();
          if (room !== undefined) await room;
          const stored = this.onTelemetry(agent, msg.payload, msg.receivedAt ?? this.ctx.now());
          msg.accepted?.(); // applied and handed to the store: the broker may go on
          await stored;
          break;
        }
        case 'events':
          await this.onEvents(agent, decodePayload('events', msg.payload));
          break;
        case 'cmd-result': {
          const result = decodePayload('cmd-result', msg.payload);
          this.log.info({ agentId, cmdId: result.id, type: result.type, state: result.state }, 'command result');
          await this.ctx.commands.handleResult(agentId, result);
          break;
        }
        default:
          this.reject(kind, 'wrong-direction', msg.topic);
          return;
      }
      this.ctx.metrics.messagesAccepted.inc({ kind });
    } catch (err) {
      if (err instanceof ContractError) {
        // Sending it again cannot make it valid: settled, so it does not hold back later acks.
        const chain = chainOf(msg.payload);
        if ((kind === 'telemetry' || kind === 'events') && chain !== undefined) this.acks.settle(agentId, chain.seq, chain.prev);
        this.reject(kind, err.code, msg.topic, err.message);
        return;
      }
      // Not stored, so not settled: later acks wait until the agent sends it again.
      this.reject(kind, 'internal', msg.topic, (err as Error).message);
      this.log.error({ err, topic: msg.topic }, 'ingest failed');
    }
  }

  private reject(kind: TopicKind | 'unknown', reason: string, topic: string, detail?: string): void {
    this.ctx.metrics.messagesRejected.inc({ kind, reason });
    this.log.warn({ topic, reason, detail }, 'message dropped');
  }

  private agent(id: string): AgentInfo | undefined {
    let a = this.agents.get(id);
    if (a === undefined) {
      const row = this.st.agent.get(id);
      if (row === undefined) return undefined;
      a = {
        id,
        siteId: row.site_id,
        customerId: row.customer_id,
        revoked: row.revoked_at !== null,
        sessionId: row.session_id,
        owner: { customerId: row.customer_id, siteId: row.site_id, agentId: id },
        devices: new Map(),
      };
      this.agents.set(id, a);
    }
    return a;
  }

  private onStatus(agent: AgentInfo, s: StatusPayload): void {
    const now = this.ctx.now();
    if (s.state === 'offline') {
      // A late Last Will of a replaced session must not mark the live session offline.
      if (agent.sessionId !== null && agent.sessionId !== s.sessionId) {
        this.log.debug({ agentId: agent.id, sessionId: s.sessionId }, 'offline status of an old session ignored');
        return;
      }
      this.markOffline(agent.id);
      return;
    }
    agent.sessionId = s.sessionId;
    this.st.setStatus.run(1, now, s.version, s.sessionId, s.startedAt, s.hostname ?? null, s.platform ?? null, s.configVersion ?? null, agent.id);
    this.log.info({ agentId: agent.id, version: s.version, sessionId: s.sessionId }, 'agent online');
    this.ctx.alarms.agentOnline(agent.id);
    this.ctx.bus.emit('agent-online', agent.id);
  }

  private markOffline(agentId: string): void {
    const changed = this.st.setOffline.run(this.ctx.now(), agentId).changes > 0;
    if (changed) {
      this.log.info({ agentId }, 'agent offline');
      this.ctx.alarms.agentOffline(agentId);
      this.ctx.bus.emit('agent-offline', agentId);
    }
  }

  private onInventory(agent: AgentInfo, inv: InventoryPayload): void {
    const now = this.ctx.now();
    this.ctx.state.sqlite.transaction(() => {
      this.st.markAbsent.run(now, agent.id);
      for (const d of inv.devices) {
        this.st.upsertDevice.run(
          agent.id,
          d.id,
          d.kind,
          d.name ?? null,
          d.parent ?? null,
          d.model ?? null,
          d.firmware ?? null,
          d.serial ?? null,
          JSON.stringify(d.capabilities),
          now,
          now,
        );
      }
    })();
    this.ctx.alarms.onInventory(agent.id, inv.devices);
  }

  /** The state DB's id of an agent's device; an unknown device is added (kind `unknown`). */
  private devicePk(agent: AgentInfo, deviceId: string, now: number): { pk: number; created: boolean } {
    const cached = agent.devices.get(deviceId);
    if (cached !== undefined) return { pk: cached, created: false };
    const row = this.st.devicePk.get(agent.id, deviceId);
    if (row !== undefined) {
      agent.devices.set(deviceId, row.id);
      return { pk: row.id, created: false };
    }
    const inserted = this.st.insertUnknownDevice.get(agent.id, deviceId, now, now) as { id: number };
    agent.devices.set(deviceId, inserted.id);
    return { pk: inserted.id, created: true };
  }

  /**
   * Not async on purpose: nothing of the decoded batch is referenced once it is handed to
   * the stores, so it dies young instead of being kept (and promoted) while the store works.
   */
  private onTelemetry(agent: AgentInfo, payload: Buffer, receivedAt: number): Promise<void> {
    const t = decodePayload('telemetry', payload);
    const now = this.ctx.now();
    const offset = this.onSiteClock(agent, t, receivedAt);
    let unknownDevice = false;
    for (const r of t.readings) {
      const { pk, created } = this.devicePk(agent, r.device, now);
      unknownDevice ||= created;
      this.ctx.latest.put(pk, r.component, r.at + offset, r.metrics, r.state);
    }
    this.ctx.latest.touchAgent(agent.id, now, t.seq);
    this.ctx.metrics.readingsAccepted.inc(t.readings.length);
    // Acked once the history store has it (and every earlier message of this agent).
    const stored = this.ctx.telemetry.writeReadings(agent.owner, t.readings, offset);
    // synchronous, in memory unless an alarm changes; never throws
    this.ctx.alarms.onReadings(agent, offset === 0 ? t.readings : t.readings.map((r) => ({ ...r, at: r.at + offset })));
    const sessionUnknown = agent.sessionId === null || (t.sessionId !== undefined && t.sessionId !== agent.sessionId);
    if (unknownDevice || sessionUnknown) this.requestRebirth(agent.id, unknownDevice ? 'unknown device' : 'no birth seen');
    // Wait for the store (backpressure to the broker when its buffer is full), never for the
    // ack's own publish: that needs the broker's delivery slots this handler may be holding.
    const { seq, prev } = t;
    const agentId = agent.id;
    return stored.then(() => this.acks.settle(agentId, seq, prev));
  }

  /**
   * The correction of reading times onto the hub's view of time, in ms: when the site clock
   * is off by more than ingest.maxClockSkewS (see clock.ts), readings are stored at `at` +
   * the estimated error, and a clock-skew event is raised (and cleared when the clock is
   * right again). Compared with the time the broker handed the message over (`receivedAt`),
   * not with when ingest got to it, so a queue in the hub is not mistaken for a site clock;
   * and not at all while the store holds telemetry back, or shortly after (see room()).
   */
  private onSiteClock(agent: AgentInfo, t: TelemetryPayload, receivedAt: number): number {
    if (t.sentAt === undefined) return 0;
    const now = this.ctx.now();
    // While the store holds telemetry back, and for maxClockSkewS after, a batch may have
    // queued on its way in: its arrival time measures the queue, not the site clock (a
    // backlog once read as skew shifted readings in time). The estimate so far applies.
    const queued = this.holds > 0 || receivedAt - this.heldUntil < this.ctx.config.ingest.maxClockSkewS * 1000;
    const obs = queued ? this.clock.current(agent.id) : this.clock.observe(agent.id, t.sentAt, receivedAt);
    if (obs.change !== undefined) {
      const action = obs.change;
      this.st.insertEvent.run(agent.id, -1, now, now, now, 'clock-skew', action, null, null, action === 'raised' ? 'risk' : null,
        action === 'raised'
          ? `site clock is off by ${Math.round(obs.offsetMs / 1000)} s; readings are stored on corrected time`
          : 'site clock is right again',
        JSON.stringify({ offsetMs: obs.offsetMs }));
      this.log.warn({ agentId: agent.id, offsetMs: obs.offsetMs, change: action }, 'site clock skew');
      this.ctx.alarms.onEvents(agent, [{ type: 'clock-skew', action, at: now, severity: 'risk' }]);
    }
    return obs.correct ? obs.offsetMs : 0;
  }

  private async onEvents(agent: AgentInfo, e: EventsPayload): Promise<void> {
    const now = this.ctx.now();
    const fresh: EventsPayload['events'] = []; // a replayed batch is stored, and alarmed on, once
    this.ctx.state.sqlite.transaction(() => {
      e.events.forEach((ev, idx) => {
        const { changes } = this.st.insertEvent.run(
          agent.id,
          e.seq,
          idx,
          ev.at,
          now,
          ev.type,
          ev.action,
          ev.device ?? null,
          ev.component ?? null,
          ev.severity ?? null,
          ev.message ?? null,
          ev.data === undefined ? null : JSON.stringify(ev.data),
        );
        if (changes > 0) fresh.push(ev);
      });
    })();
    this.ctx.latest.touchAgent(agent.id, now, e.seq);
    this.ctx.alarms.onEvents(agent, fresh);
    this.acks.settle(agent.id, e.seq, e.prev);
  }

  /** Resolves when every ack due so far has been sent. */
  async idle(): Promise<void> {
    await this.acks.idle();
  }

  private async ack(agentId: string, seq: number): Promise<void> {
    await this.link.publish(topics.ack(agentId), encodePayload('ack', { seq }), { qos: 1 });
  }

  /** Asks an agent to publish its birth again (at most once a minute per agent). */
  requestRebirth(agentId: string, why: string): void {
    const now = this.ctx.now();
    if (now - (this.lastRebirth.get(agentId) ?? 0) < REBIRTH_MIN_INTERVAL_MS) return;
    this.lastRebirth.set(agentId, now);
    const id = `rebirth-${randomBytes(4).toString('hex')}`;
    this.log.info({ agentId, why }, 'requesting rebirth');
    this.link.publish(topics.cmd(agentId, id), encodePayload('cmd', { id, type: 'rebirth', issuedAt: now }), { qos: 1 }).catch((err: unknown) => {
      this.lastRebirth.delete(agentId); // asked again with the next batch
      this.log.warn({ agentId, err: (err as Error).message }, 'could not request a rebirth');
    });
  }
}

/** The seq and prev of a telemetry/events payload that failed validation, if readable. */
function chainOf(payload: Buffer): { seq: number; prev?: number } | undefined {
  try {
    const { seq, prev } = JSON.parse(payload.toString('utf8')) as { seq?: unknown; prev?: unknown };
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) return undefined;
    return typeof prev === 'number' && Number.isInteger(prev) ? { seq, prev } : { seq };
  } catch {
    return undefined;
  }
}
