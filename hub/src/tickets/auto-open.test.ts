import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CARD, MIN, type TicketHub, createTicketHub } from './test-utils.js';

describe('tickets opened from alarms', () => {
  let hub: TicketHub;
  beforeEach(async () => {
    hub = await createTicketHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('an over-temperature fault on one card opens exactly one alarm and one ticket', () => {
    hub.temp(90);
    hub.temp(91);
    const alarms = hub.ctx.state.sqlite.prepare("select id, severity from alarms where type = 'card-over-temperature'").all();
    expect(alarms).toHaveLength(1);
    const [t] = hub.tickets();
    expect(hub.tickets()).toHaveLength(1);
    expect(t).toMatchObject({ number: 'T-000001', source: 'alarm', state: 'new', agent_id: 'a1', device_id: CARD, fault_type: 'card-over-temperature', severity: 'fault', warranty: 'unknown' });
    expect(t?.location).toBe('Acme Malls HQ wall › ctrl-1 › p0 › c0');
    expect(hub.events(t?.id ?? 0).map((e) => e.kind)).toEqual(['created', 'alarm-linked']);
  });

  test('a second alarm of the same fault on the device links to the open ticket instead of opening one', () => {
    hub.temp(90);
    hub.temp(50); // clears the alarm; the ticket stays open
    hub.advance(20 * MIN);
    hub.temp(90);
    expect(hub.ctx.state.sqlite.prepare("select count(*) as n from alarms where type = 'card-over-temperature'").get()).toEqual({ n: 2 });
    expect(hub.tickets()).toHaveLength(1);
    expect(hub.ctx.tickets.alarms(1)).toHaveLength(2);
    expect(hub.tickets()[0]?.fault_cleared_at).toBeNull();
  });

  test('the same fault on another card opens a ticket of its own', () => {
    hub.temp(90);
    hub.temp(90, 'ctrl-1/p0/c1');
    expect(hub.tickets().map((t) => t.device_id)).toEqual([CARD, 'ctrl-1/p0/c1']);
  });

  test('a risk alarm opens no ticket under the default threshold', () => {
    hub.temp(75);
    expect(hub.ctx.state.sqlite.prepare("select severity from alarms where type = 'card-over-temperature'").all()).toEqual([{ severity: 'risk' }]);
    expect(hub.tickets()).toEqual([]);
  });

  test('when every linked alarm clears the ticket is marked fault cleared, and resolves by itself after the quiet period', () => {
    hub.temp(90);
    hub.advance(5 * MIN);
    hub.temp(50);
    const cleared = hub.tickets()[0];
    expect(cleared).toMatchObject({ state: 'new', fault_cleared_at: hub.time.now });
    expect(hub.events(1).map((e) => e.kind)).toContain('fault-cleared');
    hub.advance(119 * MIN);
    expect(hub.ctx.tickets.sweep()).toEqual([]);
    hub.advance(1 * MIN);
    expect(hub.ctx.tickets.sweep()).toHaveLength(1);
    expect(hub.tickets()[0]).toMatchObject({ state: 'resolved', cause: 'cleared by itself', resolved_at: hub.time.now, responded_at: hub.time.now });
    const last = hub.events(1).at(-1);
    expect(last).toMatchObject({ kind: 'transition', from_state: 'new', to_state: 'resolved', actor_user_id: null });
  });

  test('a ticket already on site is not resolved by itself', () => {
    hub.temp(90);
    hub.ctx.tickets.assign(1, hub.fx.engineer.id, { userId: hub.fx.engineer.id, tokenId: null, ip: null });
    hub.ctx.tickets.transition(1, { to: 'on-site' }, { userId: hub.fx.engineer.id, tokenId: null, ip: null });
    hub.temp(50);
    hub.advance(500 * MIN);
    expect(hub.ctx.tickets.sweep()).toEqual([]);
    expect(hub.tickets()[0]).toMatchObject({ state: 'on-site' });
    expect(hub.tickets()[0]?.fault_cleared_at).not.toBeNull();
  });

  test('after a ticket is resolved the next alarm of the fault opens a new ticket', () => {
    hub.temp(90);
    hub.temp(50);
    hub.advance(121 * MIN);
    hub.ctx.tickets.sweep();
    hub.temp(90);
    expect(hub.tickets().map((t) => [t.number, t.state])).toEqual([
      ['T-000001', 'resolved'],
      ['T-000002', 'new'],
    ]);
  });
});
