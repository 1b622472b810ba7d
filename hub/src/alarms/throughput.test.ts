import type { Reading } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createTestContext, type TestContext } from '../test-utils/context.js';

/** Not a timed assertion: prints what evaluating a reading costs, for the bench to compare against. */
describe('evaluator throughput', () => {
  let ctx: TestContext;
  const agent = { id: 'a1', siteId: 's1', customerId: 'c1' };
  const DEVICES = 1000;
  const card = (i: number) => `ctrl-${Math.floor(i / 100)}/p${Math.floor(i / 10) % 10}/c${i % 10}`;
  const metrics = (hot: boolean): Reading['metrics'] => ({
    temperatureC: hot ? 90 : 41.5,
    voltageV: 5.02,
    humidityPct: 35,
    monitorPresent: true,
    smoke: false,
    fan0Rpm: 2400,
    fan1Rpm: 2380,
    fansStopped: 0,
    door1Open: false,
    doorsOpen: 0,
    ribbonErrors: 0,
    brightness: 200,
  });

  beforeEach(async () => {
    let t = 1_764_180_000_000;
    ctx = await createTestContext({ now: () => (t += 1) });
    const db = ctx.state.sqlite;
    db.prepare("insert into customers (id, name, language, created_at, updated_at) values ('c1', 'C', 'en', 0, 0)").run();
    db.prepare("insert into sites (id, customer_id, name, timezone, created_at, updated_at) values ('s1', 'c1', 'S', 'UTC', 0, 0)").run();
    db.prepare("insert into agents (id, name, site_id, secret_hash, created_at) values ('a1', 'A', 's1', 'x', 0)").run();
    const insert = db.prepare("insert into devices (agent_id, device_id, kind, capabilities, first_seen, updated_at) values ('a1', ?, 'novastar', '[]', 0, 0)");
    db.transaction(() => {
      for (let i = 0; i < DEVICES; i++) insert.run(card(i));
    })();
  });
  afterEach(async () => {
    await ctx.cleanup();
  });

  test('a reading costs microseconds when nothing changes, with 1 % of 1,000 cards faulting', () => {
    const at0 = 1_764_180_000_000;
    const round = (r: number) => Array.from({ length: DEVICES }, (_, i): Reading => ({ device: card(i), at: at0 + r * 10_000, metrics: metrics(i % 100 === 7) }));
    ctx.alarms.onReadings(agent, round(0)); // warm-up: compiles each device's rules, raises the 1 %
    const rounds = 100;
    const batches = Array.from({ length: rounds }, (_, r) => round(r + 1));
    const start = process.hrtime.bigint();
    for (const batch of batches) for (let i = 0; i < batch.length; i += 100) ctx.alarms.onReadings(agent, batch.slice(i, i + 100));
    const perReadingUs = Number(process.hrtime.bigint() - start) / 1000 / (rounds * DEVICES);
    const open = ctx.state.sqlite.prepare("select count(*) n from alarms where state != 'cleared'").get() as { n: number };
    console.log(`alarm evaluator: ${perReadingUs.toFixed(2)} µs per reading (12 metrics, ${DEVICES} cards, 1 % faulting, batches of 100)`);
    expect(open).toEqual({ n: DEVICES / 100 });
    expect(perReadingUs).toBeGreaterThan(0);
  });
});
