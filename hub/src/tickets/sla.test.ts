import { afterEach, describe, expect, test } from 'vitest';
import { MIN, type TicketHub, createTicketHub } from './test-utils.js';

describe('SLA clocks of tickets', () => {
  let hub: TicketHub;
  afterEach(async () => {
    await hub.cleanup();
  });

  test('a ticket opened Friday 17:00 must be responded to by Monday 11:00 under the default calendar', async () => {
    hub = await createTicketHub();
    hub.temp(90);
    const t = hub.ctx.tickets.get(1);
    expect(t?.sla_policy_id).toBe('default');
    expect(new Date(t?.respond_by ?? 0).toISOString()).toBe('2025-12-01T11:00:00.000Z');
    expect(new Date(t?.on_site_by ?? 0).toISOString()).toBe('2025-11-29T17:00:00.000Z');
    expect(new Date(t?.resolve_by ?? 0).toISOString()).toBe('2025-12-05T18:00:00.000Z');
  });

  test('a holiday on Monday moves the response deadline to Tuesday', async () => {
    hub = await createTicketHub();
    hub.ctx.state.sqlite.prepare("update business_calendars set holidays = '[\"2025-12-01\"]' where id = 'default'").run();
    hub.temp(90);
    expect(new Date(hub.ctx.tickets.get(1)?.respond_by ?? 0).toISOString()).toBe('2025-12-02T11:00:00.000Z');
  });

  test('the on-site clock warns, then breaches; both are recorded on the ticket once', async () => {
    hub = await createTicketHub();
    hub.temp(90);
    hub.advance(19 * 60 * MIN + 12 * MIN); // 80 % of 24 h
    expect(hub.events(1).filter((e) => e.kind.startsWith('sla-')).map((e) => [e.kind, JSON.parse(e.body ?? '{}').clock])).toEqual([['sla-warning', 'onSite']]);
    hub.advance(5 * 60 * MIN);
    const sla = hub.events(1).filter((e) => e.kind.startsWith('sla-'));
    expect(sla.map((e) => e.kind)).toEqual(['sla-warning', 'sla-breach']);
    expect(sla[1]?.at).toBe(Date.parse('2025-11-29T17:00:00.001Z'));
    expect(JSON.parse(hub.ctx.tickets.get(1)?.sla_emitted ?? '[]')).toEqual(['onSite:sla-warning', 'onSite:sla-breach']);
    hub.ctx.tickets.checkSla();
    expect(hub.events(1).filter((e) => e.kind.startsWith('sla-'))).toHaveLength(2);
  });

  test('arriving on site stops the on-site clock: no breach follows', async () => {
    hub = await createTicketHub();
    hub.temp(90);
    const eng = { userId: hub.fx.engineer.id, tokenId: null, ip: null };
    hub.ctx.tickets.assign(1, hub.fx.engineer.id, eng);
    hub.advance(60 * MIN);
    hub.ctx.tickets.transition(1, { to: 'on-site' }, eng);
    hub.advance(30 * 60 * MIN);
    expect(hub.events(1).filter((e) => e.kind === 'sla-breach')).toEqual([]);
  });
});
