/**
 * The recurring rule applied to a ticket: once its fault has occurred on its device as often
 * as a threshold allows within the calendar month, quarter or year, the ticket is flagged
 * `recurring` and escalated once — its severity goes up one step (critical stays critical)
 * and the matter is announced as `ticket.recurring`. The thresholds are the customer's.
 */
import type { Severity } from '../alarms/types.js';
import type { TicketRow } from '../db/index.js';
import { type TicketCore, notifyTicket } from './core.js';
import { addEvent } from './records.js';
import { SYSTEM_ACTOR } from './types.js';

const LADDER: readonly Severity[] = ['info', 'risk', 'fault', 'critical'];

export function stepUp(s: Severity): Severity {
  return LADDER[Math.min(LADDER.indexOf(s) + 1, LADDER.length - 1)] ?? 'critical';
}

export function checkRecurring(core: TicketCore, t: TicketRow): void {
  const now = core.now();
  const { thresholds } = core.recurringThresholds(t.customer_id);
  const { counts, period } = core.countRecurring({ agentId: t.agent_id, deviceId: t.device_id, faultType: t.fault_type }, now, thresholds);
  if (period === null) return;
  const count = counts[period];
  if (t.recurring === 1) {
    if (t.recurring_count !== count) core.db.prepare('update tickets set recurring_count = ?, updated_at = ? where id = ?').run(count, now, t.id);
    return;
  }
  const severity = stepUp(t.severity);
  core.db.transaction(() => {
    core.db.prepare('update tickets set recurring = 1, recurring_count = ?, escalated = 1, severity = ?, updated_at = ? where id = ?').run(count, severity, now, t.id);
    addEvent(core.st, t.id, now, SYSTEM_ACTOR, { kind: 'recurring', body: { period, counts, thresholds } });
    addEvent(core.st, t.id, now, SYSTEM_ACTOR, { kind: 'escalated', body: { from: t.severity, to: severity, reason: `recurring: ${count} in a ${period}` } });
  })();
  const row = core.st.byId.get(t.id) ?? t;
  notifyTicket(core, row, 'ticket.recurring', severity, `${row.fault_type} occurred ${count} times on ${row.location ?? row.device_id ?? ''} this ${period}; escalated to ${severity}.`, { period, count });
}
