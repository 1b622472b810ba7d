/**
 * What the ticket helpers share (one object instead of long argument lists): the database
 * and its statements, the clock, options, the SLA monitor, and the notifier.
 */
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Severity } from '../alarms/types.js';
import type { TicketRow } from '../db/index.js';
import type { NotifyService } from '../notify/index.js';
import type { SlaMonitor } from '../sla/monitor.js';
import type { TimerApi } from '../sla/monitor.js';
import type { CustomerThresholds, RecurringThresholds, RecurringResult, FaultKey } from './recurring.js';
import type { TicketStatements } from './records.js';

export interface TicketOptions {
  /** Alarms raised at or above this severity open (or link to) a ticket. */
  autoOpenSeverity: Severity;
  /** Minutes after the fault cleared that a new/assigned ticket resolves by itself; 0 = never. */
  autoResolveAfterMin: number;
  /** Interval of the auto-resolve sweep; 0 = no timer (tests call sweep()). */
  sweepIntervalMs: number;
  /** Hub-wide recurring thresholds; a customer may override each (customer_recurring). */
  recurring: RecurringThresholds;
  /** Timers of the SLA monitor (default: Node's, unref'd). */
  timers?: TimerApi | undefined;
}

export interface TicketCore {
  db: Database.Database;
  st: TicketStatements;
  log: Logger;
  now: () => number;
  opts: TicketOptions;
  monitor: SlaMonitor;
  notify: Pick<NotifyService, 'notify'>;
  countRecurring: (key: FaultKey, at: number, t: RecurringThresholds) => RecurringResult;
  /** The customer's recurring thresholds (its own over `opts.recurring`). */
  recurringThresholds: (customerId: string) => CustomerThresholds;
}

export function ticketOr(core: TicketCore, id: number): TicketRow | undefined {
  return core.st.byId.get(id);
}

export function describeTicket(t: TicketRow): string {
  return `${t.number} ${t.title}`;
}

/** Queues a ticket notification (never throws, never awaited by the caller). */
export function notifyTicket(core: TicketCore, t: TicketRow, event: string, severity: Severity, text: string, data: Record<string, string | number | boolean | null> = {}): void {
  void core.notify.notify({
    key: `ticket:${t.number}`,
    event,
    severity,
    customerId: t.customer_id,
    siteId: t.site_id,
    subject: `[${event.replace('ticket.', '')}] ${describeTicket(t)}`,
    text,
    data: { ticketId: t.id, number: t.number, state: t.state, faultType: t.fault_type, severity: t.severity, ...data },
  });
}
