/**
 * Work on a ticket: transitions along the service process (workflow.ts), assignment,
 * comments and attachments. Each records a ticket event (who, when) and an audit row in one
 * transaction; transitions also update the SLA monitor and are announced.
 */
import { createHash } from 'node:crypto';
import type { TicketRow } from '../db/index.js';
import { HubError, conflict, invalid, notFound } from '../errors.js';
import { type TicketCore, notifyTicket } from './core.js';
import { addAudit, addEvent, updateTicket } from './records.js';
import { slaItemOf } from './sla.js';
import { type TicketActor, type TransitionInput, isOpen } from './types.js';
import { checkTransition, milestoneChanges } from './workflow.js';

/** Attachments are stored in the database; larger files belong in a document system. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

function ticketOr404(core: TicketCore, id: number): TicketRow {
  const t = core.st.byId.get(id);
  if (t === undefined) throw notFound('ticket', id);
  return t;
}

function checkAssignee(core: TicketCore, userId: string, field: string): void {
  const u = core.db.prepare<[string], { role: string; disabled: number }>('select role, disabled from users where id = ?').get(userId);
  if (u === undefined) throw invalid(field, `user ${userId} does not exist`);
  if (u.role === 'customer' || u.disabled === 1) throw invalid(field, `user ${userId} cannot work tickets (engineers and admins only, not disabled)`);
}

function syncSla(core: TicketCore, t: TicketRow): void {
  const item = isOpen(t.state) ? slaItemOf(t) : undefined;
  if (item !== undefined) core.monitor.track(item);
  else core.monitor.untrack(String(t.id));
}

export function transition(core: TicketCore, id: number, input: TransitionInput, actor: TicketActor): TicketRow {
  const t = ticketOr404(core, id);
  checkTransition(t.state, input);
  if (input.to === 'assigned' && t.source === 'alarm' && !isOpen(t.state)) {
    const other = core.st.openFor.get(t.agent_id ?? '', t.device_id ?? '', t.fault_type);
    if (other !== undefined) throw conflict(`${other.number} is already open for this fault on this device; work that one instead of reopening ${t.number}`);
  }
  const now = core.now();
  const set: Record<string, string | number | null> = { state: input.to, ...milestoneChanges(t.state, input.to, now, t.responded_at) };
  if (input.to === 'assigned') {
    const assignee = input.assigneeUserId ?? t.assignee_user_id ?? actor.userId;
    if (input.assigneeUserId !== undefined) checkAssignee(core, input.assigneeUserId, 'body.assigneeUserId');
    set.assignee_user_id = assignee;
  }
  if (input.to === 'scheduled') set.appointment_at = input.appointmentAt ?? null;
  if (input.cause !== undefined) set.cause = input.cause;
  if (input.treatment !== undefined) set.treatment = input.treatment;
  if (input.parts !== undefined) set.parts = input.parts;
  if (input.solution !== undefined) set.solution = input.solution;
  if (input.problemType !== undefined) set.problem_type = input.problemType;
  const { to: _to, ...details } = input;
  core.db.transaction(() => {
    updateTicket(core.db, id, now, set);
    addEvent(core.st, id, now, actor, { kind: 'transition', from: t.state, to: input.to, body: details });
    addAudit(core.st, now, actor, 'ticket.transition', id, { from: t.state, to: input.to, ...details });
  })();
  const row = ticketOr404(core, id);
  syncSla(core, row);
  notifyTicket(core, row, 'ticket.transition', 'info', `${row.number}: ${t.state} → ${row.state}${input.note !== undefined ? `\n${input.note}` : ''}`, { from: t.state, to: row.state });
  return row;
}

export function assign(core: TicketCore, id: number, userId: string, actor: TicketActor): TicketRow {
  const t = ticketOr404(core, id);
  if (t.state === 'closed' || t.state === 'follow-up') throw conflict(`${t.number} is ${t.state}; reopen work with a new ticket`);
  checkAssignee(core, userId, 'body.userId');
  const now = core.now();
  core.db.transaction(() => {
    updateTicket(core.db, id, now, { assignee_user_id: userId });
    addEvent(core.st, id, now, actor, { kind: 'assigned', body: { userId, previous: t.assignee_user_id } });
    addAudit(core.st, now, actor, 'ticket.assign', id, { userId, previous: t.assignee_user_id });
  })();
  return t.state === 'new' ? transition(core, id, { to: 'assigned', assigneeUserId: userId }, actor) : ticketOr404(core, id);
}

export function comment(core: TicketCore, id: number, text: string, actor: TicketActor): TicketRow {
  ticketOr404(core, id);
  const now = core.now();
  core.db.transaction(() => {
    updateTicket(core.db, id, now, {});
    addEvent(core.st, id, now, actor, { kind: 'comment', body: { text } });
    addAudit(core.st, now, actor, 'ticket.comment', id, { length: text.length });
  })();
  return ticketOr404(core, id);
}

export interface AttachmentMeta {
  id: number;
  ticketId: number;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: number;
  createdBy: string | null;
}

export function attach(core: TicketCore, id: number, file: { name: string; mime: string; data: Buffer }, actor: TicketActor): AttachmentMeta {
  ticketOr404(core, id);
  if (file.data.length > MAX_ATTACHMENT_BYTES) {
    throw new HubError('validation', `attachment ${file.name} is ${file.data.length} bytes; the limit is ${MAX_ATTACHMENT_BYTES} bytes (5 MB): compress it or link to it in a comment`, {
      statusCode: 413,
      details: [{ field: 'body.data', message: `at most ${MAX_ATTACHMENT_BYTES} bytes after base64 decoding` }],
    });
  }
  const now = core.now();
  const sha256 = createHash('sha256').update(file.data).digest('hex');
  const aid = core.db.transaction(() => {
    const r = core.db
      .prepare('insert into ticket_attachments (ticket_id, name, mime, size, sha256, data, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, file.name, file.mime, file.data.length, sha256, file.data, now, actor.userId);
    const attachmentId = Number(r.lastInsertRowid);
    updateTicket(core.db, id, now, {});
    addEvent(core.st, id, now, actor, { kind: 'attachment', body: { attachmentId, name: file.name, mime: file.mime, size: file.data.length, sha256 } });
    addAudit(core.st, now, actor, 'ticket.attach', id, { attachmentId, name: file.name, size: file.data.length, sha256 });
    return attachmentId;
  })();
  return { id: aid, ticketId: id, name: file.name, mime: file.mime, size: file.data.length, sha256, createdAt: now, createdBy: actor.userId };
}
