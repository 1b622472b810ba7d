/**
 * The alarm service on HubContext (`ctx.alarms`): ingest feeds it readings, events and
 * agent presence; the API acknowledges, clears and changes rules and maintenance windows
 * through it. Every entry point from ingest is guarded: an error is logged and counted,
 * the in-memory state is rebuilt from the database, and nothing is thrown back.
 */
import type { AgentEvent, Reading } from '@ledwatch/protocols';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { AuditActor } from '../audit/log.js';
import type { HubBus } from '../context.js';
import type { StateDb } from '../db/index.js';
import type { HubMetrics } from '../metrics.js';
import { type HubProblem, type HubProblemKind, HUB_PROBLEM_KINDS, activeHubProblems, restoreHubProblems } from '../notify/problems.js';
import { type AgentRef, DeviceDirectory, HUB_AGENT } from './directory.js';
import { Evaluator } from './evaluator.js';
import { type AlarmOptions, Batch, DEFAULT_ALARM_OPTIONS, Lifecycle } from './lifecycle.js';
import { MaintenanceCalendar } from './maintenance.js';
import { type AlarmStatements, prepareAlarmStatements, toView } from './records.js';
import { RuleBook } from './rules.js';
import type { AlarmView } from './types.js';

export interface AlarmServiceDeps {
  state: StateDb;
  bus: HubBus;
  log: Logger;
  metrics: HubMetrics;
  now: () => number;
  options?: Partial<AlarmOptions>;
}

/** Who acts through the API, for acked_by and the audit log. */
export interface AlarmActor {
  userId: string | null;
  audit: AuditActor;
}

export type AlarmActionResult = AlarmView | 'cleared' | undefined;

export class AlarmService {
  readonly rules: RuleBook;
  readonly #db: Database.Database;
  readonly #bus: HubBus;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #opts: AlarmOptions;
  readonly #st: AlarmStatements;
  readonly #dir: DeviceDirectory;
  readonly #maintenance: MaintenanceCalendar;
  readonly #life: Lifecycle;
  readonly #eval: Evaluator;
  readonly #offline = new Set<string>();
  /** Agents online before a hub start, not back yet: hub time they are waited for since. */
  readonly #expected = new Map<string, number>();
  readonly #errors: Counter<'where'>;
  readonly #revoked;
  readonly #onlineAgents;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: AlarmServiceDeps) {
    this.#db = deps.state.sqlite;
    this.#bus = deps.bus;
    this.#log = deps.log;
    this.#now = deps.now;
    this.#opts = { ...DEFAULT_ALARM_OPTIONS, ...deps.options };
    const registers = [deps.metrics.registry];
    this.#errors = new Counter({ name: 'ledwatch_alarm_errors_total', help: 'Alarm evaluation failures (logged, never thrown into ingest), by entry point', labelNames: ['where'], registers });
    const changes = new Counter({ name: 'ledwatch_alarm_changes_total', help: 'Announced alarm changes, by kind', labelNames: ['kind'], registers });
    this.#st = prepareAlarmStatements(this.#db);
    this.#revoked = this.#db.prepare<[string], { revoked_at: number | null }>('select revoked_at from agents where id = ?');
    this.#onlineAgents = this.#db.prepare<[], { id: string }>('select id from agents where online = 1 and revoked_at is null');
    this.rules = new RuleBook(this.#db, deps.log);
    this.#dir = new DeviceDirectory(this.#db);
    this.#maintenance = new MaintenanceCalendar(this.#db);
    this.#maintenance.load(this.#now());
    this.#life = new Lifecycle({ db: this.#db, st: this.#st, bus: deps.bus, log: deps.log, now: deps.now, maintenance: this.#maintenance, options: this.#opts, changes });
    this.#life.load();
    this.#eval = new Evaluator({ dir: this.#dir, book: this.rules, life: this.#life, offline: this.#offline, now: deps.now });
    for (const a of this.#life.values()) if (a.type === 'agent-offline' && a.deviceId === '') this.#offline.add(a.agentId);
    deps.bus.on('agent-revoked', (id) => this.agentOffline(id)); // clears its alarms, online or not
    // The hub's own problems: alarms of the pseudo agent `hub`. Those still open from the last
    // run count as active, so the first passing self-check clears them.
    deps.bus.on('hub-problem', (p) => this.hubProblem(p));
    const stillOpen = [...this.#life.values()].filter((a) => a.agentId === HUB_AGENT.id && HUB_PROBLEM_KINDS.includes(a.type.slice('hub-'.length) as HubProblemKind));
    restoreHubProblems(
      deps.bus,
      stillOpen.map((a) => ({ kind: a.type.slice('hub-'.length) as HubProblemKind, detail: a.message ?? a.type, at: a.firstSeen })),
    );
    if (this.#opts.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => this.sweep(), this.#opts.sweepIntervalMs);
      this.#timer.unref();
    }
  }

  onReadings(agent: AgentRef, readings: readonly Reading[]): void {
    this.#run('readings', (b) => this.#eval.readings(agent, readings, b));
  }

  onEvents(agent: AgentRef, events: readonly AgentEvent[]): void {
    if (events.length > 0) this.#run('events', (b) => this.#eval.events(agent, events, b));
  }

  /** A hub problem started (raise or update `hub-<kind>`) or ended (clear it). */
  hubProblem(p: HubProblem): void {
    this.#run('hub-problem', (b) => this.#eval.hubProblem(p, b));
  }

  onInventory(agentId: string, devices: readonly { id: string; kind: string }[]): void {
    this.#run('inventory', () => {
      const agent = this.#dir.agent(agentId);
      if (agent !== undefined) this.#dir.onInventory(agent, devices, this.#now());
    });
  }

  agentOnline(agentId: string): void {
    this.#run('agent-online', (b) => {
      this.#offline.delete(agentId);
      this.#expected.delete(agentId);
      const agent = this.#dir.agent(agentId);
      if (agent === undefined) return;
      this.#eval.agentOnline(agent, b);
      this.#dir.loadAgent(agent, this.#now());
    });
  }

  /** The agent's Last Will arrived or its connection dropped (ingest saw it go offline). */
  agentOffline(agentId: string): void {
    this.#run('agent-offline', (b) => {
      this.#expected.delete(agentId);
      const agent = this.#dir.agent(agentId);
      if (agent === undefined) return;
      if ((this.#revoked.get(agentId)?.revoked_at ?? null) !== null) {
        for (const a of [...this.#life.values()]) if (a.agentId === agentId) this.#life.clear(a, 'agent-revoked', b);
        this.#offline.delete(agentId);
        this.#dir.forgetAgent(agentId);
        return;
      }
      this.#offline.add(agentId);
      this.#eval.agentOffline(agent, b);
    });
  }

  /** Call before a hub start marks every agent offline: those online now get offlineGraceS to come back. */
  expectAgents(): void {
    this.#run('expect-agents', () => {
      const now = this.#now();
      for (const { id } of this.#onlineAgents.all()) this.#expected.set(id, now);
    });
  }

  /** Timed work: hub problems still present, stale data, agents not back after a start, event auto-clears, quiet flapping alarms, ended windows. */
  sweep(): void {
    if (!this.#db.open) {
      this.close();
      return;
    }
    const now = this.#now();
    for (const [id, since] of this.#expected) if (now - since >= this.#opts.offlineGraceS * 1000) this.agentOffline(id);
    this.#run('sweep', (b) => {
      // A hub problem that lasts keeps (or, after a manual clear or a re-enabled rule, regains) its alarm.
      for (const p of activeHubProblems(this.#bus)) this.#eval.hubProblem(p, b);
      this.#eval.stale(b);
      this.#eval.expireEvents(b);
      this.#life.sweep(b);
    });
  }

  /** The open alarm from memory (its last seen / last value may be newer than the row's). */
  openView(id: number): AlarmView | undefined {
    const a = this.#life.byId(id);
    return a === undefined ? undefined : toView(a);
  }

  acknowledge(id: number, by: AlarmActor, note?: string): AlarmActionResult {
    return this.#act(id, by, 'alarm.acknowledge', note, (a, b) => this.#life.acknowledge(a, by.userId, b));
  }

  /** Manual clear. A condition that still holds raises a new alarm at its next reading. */
  clear(id: number, by: AlarmActor, note?: string): AlarmActionResult {
    return this.#act(id, by, 'alarm.clear', note, (a, b) => {
      this.#life.clear(a, 'manual', b);
      return true;
    });
  }

  /** Custom rules or overrides changed: reload, and clear open alarms no rule produces any more. */
  rulesChanged(): void {
    this.rules.load();
    this.#run('rules-changed', (b) => this.#eval.reconcile(b));
  }

  maintenanceChanged(siteId: string): void {
    this.#maintenance.reloadSite(siteId, this.#now());
    this.sweep();
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #act(id: number, by: AlarmActor, action: string, note: string | undefined, change: (a: NonNullable<ReturnType<Lifecycle['byId']>>, b: Batch) => boolean): AlarmActionResult {
    const a = this.#life.byId(id);
    if (a === undefined) return this.#st.byId.get(id) === undefined ? undefined : 'cleared';
    const b = new Batch();
    if (change(a, b)) {
      const details = { agentId: a.agentId, deviceId: a.deviceId, component: a.component, type: a.type, ...(note !== undefined ? { note } : {}) };
      b.audit.push({ at: this.#now(), actor: by.audit, action, entity: 'alarm', entityId: a.id, details });
    }
    this.#life.commit(b);
    return toView(a);
  }

  #run(where: string, fn: (b: Batch) => void): void {
    try {
      const b = new Batch();
      fn(b);
      this.#life.commit(b);
    } catch (err) {
      this.#errors.inc({ where });
      this.#log.error({ err, where }, 'alarm evaluation failed; state reloaded from the database');
      try {
        this.#life.load();
        this.#dir.resetStates();
      } catch (reloadErr) {
        this.#log.error({ err: reloadErr }, 'alarm state reload failed');
      }
    }
  }
}
