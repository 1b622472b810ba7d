/**
 * Ticket rows ↔ views, and the synchronous writes every ticket change shares: an event row,
 * an audit row (in the same transaction as the change) and the number of a new ticket.
 */
import type Database from 'better-sqlite3';
import { redactDetails } from '../audit/log.js';
import type { TicketEventRow, TicketRow } from '../db/index.js';
import type { NewTicketEvent, TicketActor, TicketEventView, TicketView } from './types.js';

export function ticketNumber(id: number): string {
  return `T-${String(id).padStart(6, '0')}`;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toTicketView(r: TicketRow): TicketView {
  return {
    id: r.id,
    number: r.number,
    customerId: r.customer_id,
    siteId: r.site_id,
    agentId: r.agent_id,
    deviceId: r.device_id,
    devicePk: r.device_pk,
    component: r.component,
    faultType: r.fault_type,
    title: r.title,
    description: r.description,
    severity: r.severity,
    source: r.source,
    channel: r.channel,
    state: r.state,
    assigneeUserId: r.assignee_user_id,
    appointmentAt: r.appointment_at,
    respondedAt: r.responded_at,
    onSiteAt: r.on_site_at,
    resolvedAt: r.resolved_at,
    confirmedAt: r.confirmed_at,
    closedAt: r.closed_at,
    faultClearedAt: r.fault_cleared_at,
    faultCleared: r.fault_cleared_at !== null,
    cause: r.cause,
    treatment: r.treatment,
    parts: r.parts,
    problemType: r.problem_type,
    location: r.location,
    solution: r.solution,
    warranty: r.warranty,
    warrantyEnd: r.warranty_end,
    recurring: r.recurring === 1,
    recurringCount: r.recurring_count,
    escalated: r.escalated === 1,
    slaPolicyId: r.sla_policy_id,
    respondBy: r.respond_by,
    onSiteBy: r.on_site_by,
    resolveBy: r.resolve_by,
    slaEmitted: parseJson<string[]>(r.sla_emitted, []),
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toEventView(r: TicketEventRow): TicketEventView {
  return { id: r.id, at: r.at, actorUserId: r.actor_user_id, kind: r.kind, fromState: r.from_state, toState: r.to_state, body: parseJson<unknown>(r.body, null) };
}

export type TicketStatements = ReturnType<typeof prepareTicketStatements>;

export function prepareTicketStatements(db: Database.Database) {
  return {
    byId: db.prepare<[number], TicketRow>('select * from tickets where id = ?'),
    openFor: db.prepare<[string, string, string], TicketRow>(
      "select * from tickets where source = 'alarm' and agent_id = ? and device_id = ? and fault_type = ? and state in ('new', 'assigned', 'scheduled', 'on-site')",
    ),
    byAlarm: db.prepare<[number], TicketRow>('select t.* from tickets t join ticket_alarms l on l.ticket_id = t.id where l.alarm_id = ?'),
    linkAlarm: db.prepare<[number, number, number]>('insert or ignore into ticket_alarms (ticket_id, alarm_id, raised_at) values (?, ?, ?)'),
    clearLink: db.prepare<[number, number]>('update ticket_alarms set cleared_at = ? where alarm_id = ? and cleared_at is null'),
    unclearedLinks: db.prepare<[number], { n: number }>('select count(*) as n from ticket_alarms where ticket_id = ? and cleared_at is null'),
    links: db.prepare<[number], { alarm_id: number; raised_at: number; cleared_at: number | null }>('select alarm_id, raised_at, cleared_at from ticket_alarms where ticket_id = ? order by raised_at, alarm_id'),
    events: db.prepare<[number], TicketEventRow>('select * from ticket_events where ticket_id = ? order by id'),
    event: db.prepare<[number, number, string | null, string, string | null, string | null, string | null]>(
      'insert into ticket_events (ticket_id, at, actor_user_id, kind, from_state, to_state, body) values (?, ?, ?, ?, ?, ?, ?)',
    ),
    audit: db.prepare<[number, string | null, string | null, string, string, string, string | null, string | null]>(
      'insert into audit_log (at, actor_user_id, actor_token_id, action, entity, entity_id, details, ip) values (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    setNumber: db.prepare<[string, number]>('update tickets set number = ? where id = ?'),
    openTickets: db.prepare<[], TicketRow>("select * from tickets where state in ('new', 'assigned', 'scheduled', 'on-site')"),
    autoResolvable: db.prepare<[number], TicketRow>("select * from tickets where state in ('new', 'assigned') and fault_cleared_at is not null and fault_cleared_at <= ? order by id"),
  };
}

export function addEvent(st: TicketStatements, ticketId: number, at: number, actor: TicketActor, e: NewTicketEvent): void {
  st.event.run(ticketId, at, actor.userId, e.kind, e.from ?? null, e.to ?? null, e.body === undefined ? null : JSON.stringify(e.body));
}

export function addAudit(st: TicketStatements, at: number, actor: TicketActor, action: string, ticketId: number, details: Record<string, unknown>): void {
  st.audit.run(at, actor.userId, actor.tokenId, action, 'ticket', String(ticketId), JSON.stringify(redactDetails(details)), actor.ip);
}

/**
 * Sets columns of a ticket (names are this module's own constants, never user input) and
 * bumps updated_at.
 */
export function updateTicket(db: Database.Database, id: number, at: number, set: Record<string, string | number | null>): void {
  const cols = Object.keys(set);
  const sql = `update tickets set ${[...cols.map((c) => `${c} = @${c}`), 'updated_at = @updated_at'].join(', ')} where id = @id`;
  db.prepare(sql).run({ ...set, updated_at: at, id });
}
