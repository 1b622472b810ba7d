/**
 * The one object every hub service and route receives: config, logger, state database,
 * metrics and the in-process event bus. Keeps constructors short (no long positional
 * argument lists).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { AlarmService } from './alarms/service.js';
import type { AlarmChange } from './alarms/types.js';
import type { HubConfig } from './config.js';
import type { StateDb } from './db/index.js';
import type { CommandService } from './commands/service.js';
import type { LatestWriter } from './ingest/latest.js';
import type { HubMetrics } from './metrics.js';
import type { HubProblem, NotifyService } from './notify/index.js';
import type { TelemetryPoint, TelemetryStore } from './telemetry/store.js';
import type { TicketService } from './tickets/service.js';

export interface HubEvents {
  /** An agent's credentials were revoked: drop its connection. */
  'agent-revoked': [agentId: string];
  /** Agent came online / went offline (as ingest saw it). */
  'agent-online': [agentId: string];
  'agent-offline': [agentId: string];
  /** An alarm was raised, updated, acknowledged or cleared (never for maintenance-suppressed ones; see alarms/). */
  alarm: [change: AlarmChange];
  /** One of the hub's own problems started or ended (see notify/problems.ts). */
  'hub-problem': [problem: HubProblem];
  /** Readings handed to the telemetry store, as they arrive (the live view; see live/tap.ts). */
  readings: [points: readonly TelemetryPoint[]];
}

export class HubBus extends EventEmitter<HubEvents> {}

/** Publishes hub → agent messages (ack, cmd); set by whichever broker mode runs. */
export interface Publisher {
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1; retain?: boolean }): Promise<void>;
}

export interface HubContext {
  config: HubConfig;
  log: Logger;
  state: StateDb;
  metrics: HubMetrics;
  bus: HubBus;
  /** Durable commands to agents (config, rebirth, inspect, upgrade, …). */
  commands: CommandService;
  /** History of every reading (InfluxDB or the embedded SQLite store). */
  telemetry: TelemetryStore;
  /** The latest reading per device in the state database, written behind (what waits: pendingOf). */
  latest: LatestWriter;
  /** Email and webhook notifications, escalation, heartbeat and self-checks. */
  notify: NotifyService;
  /** Alarm rules, evaluation on ingest and the alarm lifecycle. */
  alarms: AlarmService;
  /** Fault tickets: auto-open from alarms, the service workflow, SLA clocks, recurring problems. */
  tickets: TicketService;
  now(): number;
}
