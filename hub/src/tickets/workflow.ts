/**
 * The on-site service process as a state graph (pure):
 *
 *   new → assigned → scheduled → on-site → resolved → confirmed → closed → follow-up
 *
 * plus shortcuts the process needs: new/assigned/scheduled → resolved (fixed remotely or
 * cleared by itself), assigned → on-site (no appointment needed), scheduled → scheduled
 * (a new appointment), and resolved → assigned (reopened: the fix did not hold).
 */
import { HubError, invalid } from '../errors.js';
import type { TicketState, TransitionInput } from './types.js';

export const TRANSITIONS: Readonly<Record<TicketState, readonly TicketState[]>> = {
  new: ['assigned', 'resolved'],
  assigned: ['scheduled', 'on-site', 'resolved'],
  scheduled: ['scheduled', 'on-site', 'resolved'],
  'on-site': ['resolved'],
  resolved: ['confirmed', 'assigned'],
  confirmed: ['closed'],
  closed: ['follow-up'],
  'follow-up': [],
};

export function canTransition(from: TicketState, to: TicketState): boolean {
  return TRANSITIONS[from].includes(to);
}

const blank = (s: string | undefined): boolean => s === undefined || s.trim() === '';

/**
 * Throws a typed error when the move is not in the graph (conflict) or the target state's
 * fields are missing (validation): scheduled needs appointmentAt; resolved needs cause and
 * treatment; follow-up needs a note.
 */
export function checkTransition(from: TicketState, input: TransitionInput): void {
  if (!canTransition(from, input.to)) {
    const allowed = TRANSITIONS[from];
    throw new HubError('conflict', `a ${from} ticket cannot move to ${input.to}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`);
  }
  if (input.to === 'scheduled' && input.appointmentAt === undefined) throw invalid('body.appointmentAt', 'is required to schedule a visit (ms since the epoch)');
  if (input.to === 'resolved') {
    if (blank(input.cause)) throw invalid('body.cause', 'is required to resolve a ticket: what caused the fault');
    if (blank(input.treatment)) throw invalid('body.treatment', 'is required to resolve a ticket: what was done about it');
  }
  if (input.to === 'follow-up' && blank(input.note)) throw invalid('body.note', 'is required for a follow-up: the revisit or satisfaction note');
}

/** The timestamp columns a transition sets (null clears one on reopen). */
export function milestoneChanges(from: TicketState, to: TicketState, at: number, respondedAt: number | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  if (from === 'new' && respondedAt === null) out.responded_at = at;
  if (to === 'on-site') out.on_site_at = at;
  if (to === 'resolved') out.resolved_at = at;
  if (to === 'confirmed') out.confirmed_at = at;
  if (to === 'closed') out.closed_at = at;
  if (from === 'resolved' && to === 'assigned') {
    out.resolved_at = null;
    out.confirmed_at = null;
  }
  return out;
}
