import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MIN, type TicketHub, createTicketHub } from './test-utils.js';

describe('tickets across a hub restart', () => {
  let hub: TicketHub;
  beforeEach(async () => {
    hub = await createTicketHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('tickets, links, events and emitted SLA keys survive; no SLA event is emitted twice', async () => {
    hub.temp(90);
    hub.advance(20 * 60 * MIN); // past the on-site warning
    const before = { ticket: hub.ctx.tickets.get(1), events: hub.events(1), links: hub.ctx.tickets.alarms(1) };
    expect(before.events.map((e) => e.kind)).toContain('sla-warning');
    await hub.restart();
    expect(hub.ctx.tickets.get(1)).toEqual(before.ticket);
    expect(hub.events(1)).toEqual(before.events);
    expect(hub.ctx.tickets.alarms(1)).toEqual(before.links);
    hub.advance(4 * 60 * MIN + 1); // past the on-site deadline: only the breach is new
    expect(hub.events(1).filter((e) => e.kind.startsWith('sla-')).map((e) => e.kind)).toEqual(['sla-warning', 'sla-breach']);
  });

  test('an alarm that clears after the restart still marks its ticket fault cleared', async () => {
    hub.temp(90);
    await hub.restart();
    hub.temp(50);
    expect(hub.ctx.tickets.get(1)?.fault_cleared_at).toBe(hub.time.now);
  });
});
