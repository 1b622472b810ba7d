import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestContext, type TestContext } from '../test-utils/context.js';
import { DEFAULT_RULES } from './defaults.js';
import { severityRank } from './rule-schema.js';
import type { RuleTarget } from './rules.js';

describe('the rule book', () => {
  let ctx: TestContext;
  const target = (kind: string, deviceId: string, pk: number | null = 7): RuleTarget => ({ kind, deviceId, pk, agent: { siteId: 's1', customerId: 'c1' } });
  const ids = (t: RuleTarget) => {
    const set = ctx.alarms.rules.compile(t);
    return [...set.groups.flatMap((g) => g.rules), ...set.events, ...set.offline, ...set.stale].map((r) => r.id).sort();
  };
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(async () => {
    await ctx.cleanup();
  });

  test('a missing card, smoke and an unreachable controller are fault or worse with no hold time', () => {
    for (const id of ['card-missing', 'card-smoke', 'controller-unreachable']) {
      const rule = DEFAULT_RULES.find((r) => r.id === id);
      expect(severityRank(rule?.severity ?? 'info')).toBeGreaterThanOrEqual(severityRank('fault'));
      expect(rule?.condition).not.toHaveProperty('forS');
    }
  });

  test('each device kind gets its own defaults, and the agent itself its events and offline rule', () => {
    expect(ids(target('novastar', 'ctrl-1/p0/c3'))).toContain('card-missing');
    expect(ids(target('novastar', 'ctrl-1'))).not.toContain('card-missing');
    expect(ids(target('novastar', 'ctrl-1'))).toContain('controller-unreachable');
    expect(ids(target('snmp', 'ups-1'))).toEqual(['device-event', 'device-unreachable', 'outbox-corrupt', 'clock-skew', 'outbox-overflow', 'stale-data', 'agent-offline', 'ups-low-battery', 'ups-on-battery'].sort());
    expect(ids(target('agent', '', null))).toEqual(['agent-offline', 'clock-skew', 'device-event', 'outbox-corrupt', 'outbox-overflow', 'stale-data']);
  });

  test('overrides apply in the order global, customer, site, device, each only to its own scope', () => {
    const insert = ctx.state.sqlite.prepare("insert into alarm_rule_overrides (rule_id, scope, scope_id, value, severity, updated_at) values ('card-temperature-risk', ?, ?, ?, ?, 0)");
    insert.run('device', '7', '50', null);
    insert.run('global', '', '60', 'fault');
    insert.run('site', 's1', '55', null);
    insert.run('customer', 'c1', '58', null);
    insert.run('site', 's2', '10', null);
    ctx.alarms.rulesChanged();
    const rule = (pk: number) => ctx.alarms.rules.compile(target('novastar', 'ctrl-1/p0/c3', pk)).groups.find((g) => g.type === 'card-over-temperature')?.rules[0];
    expect(rule(7)).toMatchObject({ severity: 'fault', condition: { value: 50, clearValue: 65 } });
    expect(rule(8)).toMatchObject({ severity: 'fault', condition: { value: 55 } });
  });

  test('devices the same rules apply to share one compiled set, until an override or rule change sets one apart', () => {
    const book = ctx.alarms.rules;
    const a = book.compile(target('novastar', 'ctrl-1/p0/c3', 7));
    expect(book.compile(target('novastar', 'ctrl-9/p1/c12', 8))).toBe(a);
    expect(book.compile(target('novastar', 'ctrl-1', 9))).not.toBe(a); // not a card: no card rules
    expect(book.compile({ ...target('novastar', 'ctrl-1/p0/c4', 10), agent: { siteId: 's2', customerId: 'c2' } })).toBe(a);
    ctx.state.sqlite.prepare("insert into alarm_rule_overrides (rule_id, scope, scope_id, value, updated_at) values ('card-temperature-risk', 'device', '7', '50', 0)").run();
    ctx.alarms.rulesChanged();
    const own = book.compile(target('novastar', 'ctrl-1/p0/c3', 7));
    const other = book.compile(target('novastar', 'ctrl-9/p1/c12', 8));
    expect(own).not.toBe(other);
    expect(other).not.toBe(a); // compiled again for the new rule-book version
    expect(own.groups.find((g) => g.type === 'card-over-temperature')?.rules[0]?.condition).toMatchObject({ value: 50 });
    expect(other.groups.find((g) => g.type === 'card-over-temperature')?.rules[0]?.condition).not.toMatchObject({ value: 50 });
  });
});
