import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { periodStarts } from './recurring.js';
import { MIN, type TicketHub, createTicketHub } from './test-utils.js';

describe('recurring problems', () => {
  let hub: TicketHub;
  beforeEach(async () => {
    hub = await createTicketHub({ start: Date.parse('2025-11-10T09:00:00Z') });
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  const cycle = (autoResolve: boolean) => {
    hub.temp(90);
    hub.advance(5 * MIN);
    hub.temp(50);
    hub.advance(autoResolve ? 121 * MIN : 20 * MIN);
    if (autoResolve) hub.ctx.tickets.sweep();
  };

  test('three raise/clear cycles in a month that each opened a ticket mark the third ticket recurring and escalate it', () => {
    cycle(true);
    cycle(true);
    expect(hub.tickets().map((t) => t.recurring)).toEqual([0, 0]);
    hub.temp(90);
    const third = hub.tickets()[2];
    expect(third).toMatchObject({ recurring: 1, recurring_count: 3, escalated: 1, severity: 'critical' });
    expect(hub.events(third?.id ?? 0).map((e) => e.kind)).toEqual(['created', 'alarm-linked', 'recurring', 'escalated']);
  });

  test('three alarms linked to one open ticket count the same way', () => {
    cycle(false);
    cycle(false);
    hub.temp(90);
    expect(hub.tickets()).toHaveLength(1);
    expect(hub.tickets()[0]).toMatchObject({ recurring: 1, recurring_count: 3, escalated: 1 });
  });

  test('a fourth occurrence updates the count but escalates only once', () => {
    cycle(false);
    cycle(false);
    cycle(false);
    hub.temp(90);
    expect(hub.tickets()[0]).toMatchObject({ recurring_count: 4, severity: 'critical' });
    expect(hub.events(1).filter((e) => e.kind === 'escalated')).toHaveLength(1);
  });

  test("a customer's own month threshold applies to its tickets only", () => {
    const acme = hub.fx.customers[0];
    hub.ctx.state.sqlite.prepare('insert into customer_recurring (customer_id, month, updated_at) values (?, 2, 0)').run(acme.id);
    cycle(false);
    hub.temp(90);
    expect(hub.tickets()[0]).toMatchObject({ recurring: 1, recurring_count: 2, escalated: 1 });
    const recurring = hub.events(hub.tickets()[0]?.id ?? 0).find((e) => e.kind === 'recurring');
    expect(JSON.parse(recurring?.body ?? '{}')).toMatchObject({ period: 'month', thresholds: { month: 2, quarter: 5, year: 8 } });
  });

  test('periods are the calendar month, quarter and year in UTC', () => {
    expect(periodStarts(Date.parse('2025-11-10T09:00:00Z'))).toEqual({ month: Date.parse('2025-11-01T00:00:00Z'), quarter: Date.parse('2025-10-01T00:00:00Z'), year: Date.parse('2025-01-01T00:00:00Z') });
  });
});
