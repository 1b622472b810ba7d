/**
 * Opening tickets — from an alarm or by hand (phone/web) — and linking further alarms of
 * the same device and fault type to the open one. A new ticket gets its number, the SLA
 * policy and calendar of its customer (deadlines saved on it), its location and whether the
 * device is in warranty; then the recurring rule runs (recurring.ts, escalate.ts).
 */
import type { AlarmView } from '../alarms/types.js';
import type { TicketRow } from '../db/index.js';
import { slaDeadlines } from '../sla/policy.js';
import { type TicketCore, notifyTicket } from './core.js';
import { checkRecurring } from './escalate.js';
import { addAudit, addEvent, ticketNumber } from './records.js';
import { loadCustomerSla, slaItemOf } from './sla.js';
import { type ManualTicketInput, SYSTEM_ACTOR, type TicketActor } from './types.js';
import type { Severity } from '../alarms/types.js';

interface NewTicket {
  customerId: string;
  siteId: string;
  agentId: string | null;
  deviceId: string | null;
  devicePk: number | null;
  component: string | null;
  faultType: string;
  title: string;
  description: string;
  severity: Severity;
  source: 'alarm' | 'manual';
  channel: 'phone' | 'web' | null;
  problemType: string | null;
  createdBy: string | null;
}

interface DeviceInfo {
  id: number;
  agent_id: string;
  device_id: string;
  warranty_end: number | null;
}

function locationOf(core: TicketCore, t: NewTicket): string | null {
  const site = core.db.prepare<[string], { name: string }>('select name from sites where id = ?').get(t.siteId);
  const parts = [site?.name ?? t.siteId];
  if (t.deviceId !== null) parts.push(...(t.deviceId === '' ? [`agent ${t.agentId ?? ''}`] : t.deviceId.split('/')));
  if (t.component !== null && t.component !== '') parts.push(t.component);
  return parts.join(' › ');
}

function insertTicket(core: TicketCore, t: NewTicket, actor: TicketActor, firstAlarm?: AlarmView): TicketRow {
  const now = core.now();
  const device =
    t.devicePk !== null
      ? core.db.prepare<[number], DeviceInfo>('select id, agent_id, device_id, warranty_end from devices where id = ?').get(t.devicePk)
      : t.agentId !== null && t.deviceId !== null
        ? core.db.prepare<[string, string], DeviceInfo>('select id, agent_id, device_id, warranty_end from devices where agent_id = ? and device_id = ?').get(t.agentId, t.deviceId)
        : undefined;
  const warrantyEnd = device?.warranty_end ?? null;
  const warranty = warrantyEnd === null ? 'unknown' : now <= warrantyEnd ? 'in' : 'out';
  const sla = loadCustomerSla(core.db, t.customerId);
  const deadlines = sla === undefined ? undefined : slaDeadlines(sla.policy, sla.calendar, now);
  const row = core.db.transaction(() => {
    const id = Number(
      core.db
        .prepare(
          `insert into tickets (number, customer_id, site_id, agent_id, device_id, device_pk, component, fault_type, title, description, severity, source, channel, state,
             problem_type, location, warranty, warranty_end, sla_policy_id, sla_snapshot, respond_by, on_site_by, resolve_by, created_by, created_at, updated_at)
           values ('', @customerId, @siteId, @agentId, @deviceId, @devicePk, @component, @faultType, @title, @description, @severity, @source, @channel, 'new',
             @problemType, @location, @warranty, @warrantyEnd, @policyId, @snapshot, @respondBy, @onSiteBy, @resolveBy, @createdBy, @now, @now)`,
        )
        .run({
          ...t,
          devicePk: device?.id ?? t.devicePk,
          location: locationOf(core, t),
          warranty,
          warrantyEnd,
          policyId: sla?.policy.id ?? null,
          snapshot: sla === undefined ? null : JSON.stringify(sla),
          respondBy: deadlines?.respondBy ?? null,
          onSiteBy: deadlines?.onSiteBy ?? null,
          resolveBy: deadlines?.resolveBy ?? null,
          now,
        }).lastInsertRowid,
    );
    core.st.setNumber.run(ticketNumber(id), id);
    addEvent(core.st, id, now, actor, { kind: 'created', to: 'new', body: { source: t.source, ...(t.channel !== null ? { channel: t.channel } : {}), ...(firstAlarm ? { alarmId: firstAlarm.id } : {}) } });
    if (firstAlarm !== undefined) {
      core.st.linkAlarm.run(id, firstAlarm.id, firstAlarm.firstSeen);
      addEvent(core.st, id, now, SYSTEM_ACTOR, { kind: 'alarm-linked', body: { alarmId: firstAlarm.id, severity: firstAlarm.severity } });
    }
    addAudit(core.st, now, actor, 'ticket.open', id, { source: t.source, faultType: t.faultType, siteId: t.siteId, ...(firstAlarm ? { alarmId: firstAlarm.id } : {}) });
    return core.st.byId.get(id) as TicketRow;
  })();
  const item = slaItemOf(row);
  if (item !== undefined) core.monitor.track(item);
  const respond = row.respond_by === null ? '' : ` Respond by ${new Date(row.respond_by).toISOString()}.`;
  notifyTicket(core, row, 'ticket.opened', row.severity, `${row.number} opened (${row.source}): ${row.title}\n${row.location ?? ''}\nWarranty: ${row.warranty}.${respond}`);
  checkRecurring(core, row);
  return core.st.byId.get(row.id) as TicketRow;
}

function where(a: AlarmView): string {
  return [a.deviceId === '' ? `agent ${a.agentId}` : a.deviceId, a.component].filter((p) => p !== '').join(' › ');
}

/** A raised (or worsened) alarm at or above the threshold: link it to the open ticket of its fault, else open one. */
export function openOrLink(core: TicketCore, alarm: AlarmView): TicketRow {
  const linked = core.st.byAlarm.get(alarm.id);
  if (linked !== undefined) return linked;
  const open = core.st.openFor.get(alarm.agentId, alarm.deviceId, alarm.type);
  if (open === undefined) {
    return insertTicket(
      core,
      {
        customerId: alarm.customerId,
        siteId: alarm.siteId,
        agentId: alarm.agentId,
        deviceId: alarm.deviceId,
        devicePk: null,
        component: alarm.component,
        faultType: alarm.type,
        title: `${alarm.type} on ${where(alarm)}`,
        description: alarm.message ?? '',
        severity: alarm.severity,
        source: 'alarm',
        channel: null,
        problemType: null,
        createdBy: null,
      },
      SYSTEM_ACTOR,
      alarm,
    );
  }
  const now = core.now();
  core.db.transaction(() => {
    core.st.linkAlarm.run(open.id, alarm.id, alarm.firstSeen);
    addEvent(core.st, open.id, now, SYSTEM_ACTOR, { kind: 'alarm-linked', body: { alarmId: alarm.id, severity: alarm.severity } });
    core.db.prepare('update tickets set fault_cleared_at = null, updated_at = ? where id = ?').run(now, open.id);
  })();
  checkRecurring(core, core.st.byId.get(open.id) as TicketRow);
  return core.st.byId.get(open.id) as TicketRow;
}

/** An alarm cleared: when every alarm linked to its open ticket has cleared, the ticket is marked fault cleared. */
export function alarmCleared(core: TicketCore, alarm: AlarmView): void {
  const t = core.st.byAlarm.get(alarm.id);
  const now = core.now();
  core.st.clearLink.run(alarm.clearedAt ?? now, alarm.id);
  if (t === undefined || t.fault_cleared_at !== null || core.st.unclearedLinks.get(t.id)?.n !== 0) return;
  if (!['new', 'assigned', 'scheduled', 'on-site'].includes(t.state)) return;
  core.db.transaction(() => {
    core.db.prepare('update tickets set fault_cleared_at = ?, updated_at = ? where id = ?').run(now, now, t.id);
    addEvent(core.st, t.id, now, SYSTEM_ACTOR, { kind: 'fault-cleared', body: { alarmId: alarm.id } });
  })();
}

/** A ticket opened by hand (a phone call, a web request). */
export function openManual(core: TicketCore, input: ManualTicketInput & { customerId: string; agentId: string | null; deviceId: string | null }, actor: TicketActor): TicketRow {
  return insertTicket(
    core,
    {
      customerId: input.customerId,
      siteId: input.siteId,
      agentId: input.agentId,
      deviceId: input.deviceId,
      devicePk: input.devicePk ?? null,
      component: null,
      faultType: input.faultType ?? 'service-request',
      title: input.title,
      description: input.description,
      severity: input.severity,
      source: 'manual',
      channel: input.channel,
      problemType: input.problemType ?? null,
      createdBy: actor.userId,
    },
    actor,
  );
}
