import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { HubError } from '../errors.js';
import { MIN, type TicketHub, createTicketHub } from './test-utils.js';
import type { TicketActor } from './types.js';
import { canTransition, checkTransition } from './workflow.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof HubError ? err.code : 'not-a-hub-error';
  }
};

describe('the service process graph', () => {
  test('follows new → assigned → scheduled → on-site → resolved → confirmed → closed → follow-up', () => {
    const path = ['new', 'assigned', 'scheduled', 'on-site', 'resolved', 'confirmed', 'closed', 'follow-up'] as const;
    expect(path.slice(1).every((to, i) => canTransition(path[i] ?? 'new', to))).toBe(true);
  });

  test('allows a remote fix from new and a reopen from resolved, but no jump from new to closed', () => {
    expect(canTransition('new', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'assigned')).toBe(true);
    expect(codeOf(() => checkTransition('new', { to: 'closed' }))).toBe('conflict');
  });

  test('scheduling needs an appointment, resolving needs cause and treatment, a follow-up needs a note', () => {
    expect(codeOf(() => checkTransition('assigned', { to: 'scheduled' }))).toBe('validation');
    expect(codeOf(() => checkTransition('on-site', { to: 'resolved', cause: 'fan' }))).toBe('validation');
    expect(codeOf(() => checkTransition('on-site', { to: 'resolved', cause: 'fan', treatment: ' ' }))).toBe('validation');
    expect(codeOf(() => checkTransition('closed', { to: 'follow-up' }))).toBe('validation');
    expect(codeOf(() => checkTransition('on-site', { to: 'resolved', cause: 'fan', treatment: 'replaced fan' }))).toBeUndefined();
  });
});

describe('working a ticket', () => {
  let hub: TicketHub;
  let eng: TicketActor;
  beforeEach(async () => {
    hub = await createTicketHub();
    eng = { userId: hub.fx.engineer.id, tokenId: null, ip: '127.0.0.1' };
    hub.temp(90);
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('every transition is recorded with who and when, and sets the milestone times', () => {
    const t0 = hub.time.now;
    hub.ctx.tickets.assign(1, hub.fx.engineer.id, eng);
    hub.advance(30 * MIN);
    const visit = hub.time.now + 600 * MIN;
    hub.ctx.tickets.transition(1, { to: 'scheduled', appointmentAt: visit, note: 'customer agreed' }, eng);
    hub.advance(600 * MIN);
    hub.ctx.tickets.transition(1, { to: 'on-site' }, eng);
    hub.advance(60 * MIN);
    hub.ctx.tickets.transition(1, { to: 'resolved', cause: 'dust in the fan', treatment: 'cleaned, replaced fan', parts: '1× fan 60mm', solution: 'fan cleaning' }, eng);
    const t = hub.ctx.tickets.get(1);
    expect(t).toMatchObject({ state: 'resolved', assignee_user_id: hub.fx.engineer.id, responded_at: t0, appointment_at: visit, on_site_at: visit, cause: 'dust in the fan', parts: '1× fan 60mm' });
    expect(t?.resolved_at).toBe(visit + 60 * MIN);
    const transitions = hub.events(1).filter((e) => e.kind === 'transition');
    expect(transitions.map((e) => [e.from_state, e.to_state, e.actor_user_id])).toEqual([
      ['new', 'assigned', hub.fx.engineer.id],
      ['assigned', 'scheduled', hub.fx.engineer.id],
      ['scheduled', 'on-site', hub.fx.engineer.id],
      ['on-site', 'resolved', hub.fx.engineer.id],
    ]);
    expect(transitions.map((e) => e.at)).toEqual([t0, t0 + 30 * MIN, visit, visit + 60 * MIN]);
    const audit = hub.ctx.state.sqlite.prepare("select action, actor_user_id from audit_log where entity = 'ticket' and action = 'ticket.transition'").all();
    expect(audit).toHaveLength(4);
  });

  test('a reopen is refused while another ticket is open for the same fault', () => {
    hub.ctx.tickets.transition(1, { to: 'resolved', cause: 'firmware', treatment: 'reset remotely' }, eng);
    hub.advance(20 * MIN);
    hub.temp(50);
    hub.temp(90); // opens T-000002
    expect(codeOf(() => hub.ctx.tickets.transition(1, { to: 'assigned' }, eng))).toBe('conflict');
  });

  test('assigning to a customer user is refused', () => {
    expect(codeOf(() => hub.ctx.tickets.assign(1, hub.fx.customers[0].user.id, eng))).toBe('validation');
  });
});
