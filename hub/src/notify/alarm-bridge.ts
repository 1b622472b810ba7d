/**
 * Alarms → notifications: a raised alarm (or one that got worse) is announced to the
 * subscribers of its severity, customer and site, deduplicated per alarm, and escalates
 * until acknowledged; acknowledging or clearing it stops the escalation, and a clear is
 * announced too (as info), so whoever was told about a fault hears that it ended.
 * Alarms of the hub itself (agent `hub`) go to unscoped subscriptions only.
 */
import { HUB_AGENT } from '../alarms/directory.js';
import type { AlarmChange, AlarmView } from '../alarms/types.js';
import type { HubContext } from '../context.js';

function describe(a: AlarmView): string {
  if (a.agentId === HUB_AGENT.id) return `${a.type} on the ledwatch hub`;
  const where = [a.deviceId || 'agent', a.component].filter((p) => p !== '').join(' › ');
  return `${a.type} on ${where} (agent ${a.agentId})`;
}

export function bridgeAlarmsToNotifications(ctx: HubContext): void {
  const key = (a: AlarmView): string => `alarm:${a.id}`;
  ctx.notify.registerAckCheck('alarm:', (k) => {
    const view = ctx.alarms.openView(Number(k.slice('alarm:'.length)));
    return Promise.resolve(view === undefined || view.state !== 'active');
  });
  ctx.bus.on('alarm', (change: AlarmChange) => {
    const a = change.alarm;
    // The hub's own alarms are hub-wide: only unscoped subscriptions hear of them, never a customer.
    const scope = a.agentId === HUB_AGENT.id ? {} : { customerId: a.customerId, siteId: a.siteId };
    const base = { key: key(a), ...scope, data: { kind: change.kind, alarm: a } };
    if (change.kind === 'raised') {
      void ctx.notify.notify({
        ...base,
        event: 'alarm.raised',
        severity: a.severity,
        subject: `[${a.severity}] ${describe(a)}`,
        text: `${describe(a)}\n${a.message ?? ''}\nFirst seen ${new Date(a.firstSeen).toISOString()}.${a.lastValue !== null ? ` Value: ${String(a.lastValue)}.` : ''}`,
        ackedCheck: () => Promise.resolve(ctx.alarms.openView(a.id)?.state !== 'active'),
      });
    } else if (change.kind === 'acknowledged' || change.kind === 'cleared') {
      void ctx.notify.cancelEscalations(base.key);
      if (change.kind === 'cleared') {
        void ctx.notify.notify({ ...base, event: 'alarm.cleared', severity: 'info', subject: `[cleared] ${describe(a)}`, text: `Cleared ${new Date(a.clearedAt ?? ctx.now()).toISOString()} (${a.clearReason ?? 'auto'}).` });
      }
    }
  });
}
