/**
 * The ticket service on HubContext (`ctx.tickets`). `start()` subscribes to the `alarm` bus
 * event (auto-open, link, fault cleared), reloads open tickets into the SLA monitor and
 * starts the auto-resolve sweep; `close()` stops both timers. All writes are synchronous
 * SQLite transactions, so an alarm and an API call never interleave half-way.
 */
import type { Logger } from 'pino';
import { HUB_AGENT } from '../alarms/directory.js';
import type { AlarmChange } from '../alarms/types.js';
import type { HubConfig } from '../config.js';
import type { HubBus } from '../context.js';
import type { StateDb, TicketRow } from '../db/index.js';
import type { NotifyService } from '../notify/index.js';
import { severityRank } from '../notify/types.js';
import { SlaMonitor, type SlaEvent } from '../sla/monitor.js';
import { type AttachmentMeta, assign, attach, comment, transition } from './actions.js';
import { type TicketCore, type TicketOptions, notifyTicket } from './core.js';
import { alarmCleared, openManual, openOrLink } from './open.js';
import { type CustomerThresholds, createRecurringCounter, createThresholdLookup } from './recurring.js';
import { addEvent, prepareTicketStatements, updateTicket } from './records.js';
import { slaItemOf } from './sla.js';
import { type ManualTicketInput, SYSTEM_ACTOR, type TicketActor, type TransitionInput } from './types.js';

export type { TicketOptions } from './core.js';

export interface TicketServiceDeps {
  state: StateDb;
  bus: HubBus;
  log: Logger;
  now: () => number;
  notify: Pick<NotifyService, 'notify'>;
  config: HubConfig['tickets'];
  options?: Partial<TicketOptions>;
}

export class TicketService {
  readonly #core: TicketCore;
  readonly #bus: HubBus;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  readonly #onAlarm = (change: AlarmChange): void => this.onAlarm(change);

  constructor(deps: TicketServiceDeps) {
    const opts: TicketOptions = {
      autoOpenSeverity: deps.config.autoOpenSeverity,
      autoResolveAfterMin: deps.config.autoResolveAfterMin,
      sweepIntervalMs: deps.config.sweepIntervalS * 1000,
      recurring: { ...deps.config.recurring },
      ...deps.options,
    };
    const db = deps.state.sqlite;
    const monitor = new SlaMonitor({
      now: deps.now,
      onEvent: (e) => this.#slaEvent(e),
      onError: (err, e) => deps.log.error({ err, ticketId: e.itemId, key: e.key }, 'recording an SLA event failed'),
      ...(opts.timers !== undefined ? { timers: opts.timers } : {}),
    });
    const recurringThresholds = createThresholdLookup(db, () => this.#core.opts.recurring);
    this.#core = { db, st: prepareTicketStatements(db), log: deps.log, now: deps.now, opts, monitor, notify: deps.notify, countRecurring: createRecurringCounter(db), recurringThresholds };
    this.#bus = deps.bus;
  }

  get options(): Readonly<TicketOptions> {
    return this.#core.opts;
  }

  /** Subscribes to alarms, reloads open tickets into the SLA monitor (emitting what fell due while down), starts the sweep. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#bus.on('alarm', this.#onAlarm);
    for (const t of this.#core.st.openTickets.all()) {
      const item = slaItemOf(t);
      if (item !== undefined) this.#core.monitor.track(item);
    }
    this.#core.monitor.check();
    if (this.#core.opts.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => this.sweep(), this.#core.opts.sweepIntervalMs);
      this.#timer.unref();
    }
  }

  close(): void {
    this.#bus.off('alarm', this.#onAlarm);
    this.#core.monitor.stop();
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Alarm raised/updated at or above the threshold → open or link; cleared → maybe fault cleared. Never throws. */
  onAlarm(change: AlarmChange): void {
    const a = change.alarm;
    if (a.agentId === HUB_AGENT.id) return; // the hub's own problems are alarms, not customers' fault tickets
    try {
      if (change.kind === 'cleared') alarmCleared(this.#core, a);
      else if ((change.kind === 'raised' || change.kind === 'updated') && a.state !== 'cleared' && severityRank(a.severity) >= severityRank(this.#core.opts.autoOpenSeverity)) {
        openOrLink(this.#core, a);
      }
    } catch (err) {
      this.#core.log.error({ err, alarmId: a.id, kind: change.kind }, 'ticket handling of an alarm failed');
    }
  }

  /** The recurring thresholds that apply to a customer's tickets. */
  recurringThresholds(customerId: string): CustomerThresholds {
    return this.#core.recurringThresholds(customerId);
  }

  get(id: number): TicketRow | undefined {
    return this.#core.st.byId.get(id);
  }

  events(id: number) {
    return this.#core.st.events.all(id);
  }

  alarms(id: number) {
    return this.#core.st.links.all(id);
  }

  openManual(input: ManualTicketInput & { customerId: string; agentId: string | null; deviceId: string | null }, actor: TicketActor): TicketRow {
    return openManual(this.#core, input, actor);
  }

  transition(id: number, input: TransitionInput, actor: TicketActor): TicketRow {
    return transition(this.#core, id, input, actor);
  }

  assign(id: number, userId: string, actor: TicketActor): TicketRow {
    return assign(this.#core, id, userId, actor);
  }

  comment(id: number, text: string, actor: TicketActor): TicketRow {
    return comment(this.#core, id, text, actor);
  }

  attach(id: number, file: { name: string; mime: string; data: Buffer }, actor: TicketActor): AttachmentMeta {
    return attach(this.#core, id, file, actor);
  }

  /** Emits the SLA events due now (the monitor's own timer does this too). */
  checkSla(): SlaEvent[] {
    return this.#core.monitor.check();
  }

  /**
   * Auto-resolve: a ticket still new or assigned whose alarms all cleared at least
   * autoResolveAfterMin ago is resolved with cause "cleared by itself". Scheduled and
   * on-site tickets are left to the engineer (a visit is planned or under way).
   */
  sweep(): TicketRow[] {
    const { opts, st, now, log } = this.#core;
    if (opts.autoResolveAfterMin <= 0 || !this.#core.db.open) return [];
    const done: TicketRow[] = [];
    for (const t of st.autoResolvable.all(now() - opts.autoResolveAfterMin * 60_000)) {
      try {
        const treatment = `none: every linked alarm cleared and stayed clear for ${opts.autoResolveAfterMin} min`;
        done.push(transition(this.#core, t.id, { to: 'resolved', cause: 'cleared by itself', treatment, note: 'auto-resolved by the hub' }, SYSTEM_ACTOR));
      } catch (err) {
        log.error({ err, ticketId: t.id }, 'auto-resolving a ticket failed');
      }
    }
    return done;
  }

  #slaEvent(e: SlaEvent): void {
    const core = this.#core;
    const id = Number(e.itemId);
    const t = core.st.byId.get(id);
    if (t === undefined || !core.db.open) return;
    const emitted = core.monitor.emitted(e.itemId);
    core.db.transaction(() => {
      updateTicket(core.db, id, e.emittedAt, { sla_emitted: JSON.stringify(emitted) });
      addEvent(core.st, id, e.emittedAt, SYSTEM_ACTOR, { kind: e.type, body: { clock: e.clock, deadline: e.deadline, dueAt: e.dueAt } });
    })();
    const what = e.type === 'sla-breach' ? 'breached' : 'about to breach';
    notifyTicket(core, t, `ticket.${e.type}`, e.type === 'sla-breach' ? 'fault' : 'risk', `${t.number}: the ${e.clock} clock is ${what} (deadline ${new Date(e.deadline).toISOString()}).`, {
      clock: e.clock,
      deadline: e.deadline,
    });
  }
}
