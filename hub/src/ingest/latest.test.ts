import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, seedAgent, seedDevice, seedFixture, type TestContext } from '../test-utils/context.js';
import { LatestWriter } from './latest.js';

const T = 1_764_180_000_000;

describe('the latest readings, written behind', () => {
  let ctx: TestContext;
  let clock: number;
  let w: LatestWriter;
  let pk: number;
  let agentId: string;
  const row = () => ctx.state.sqlite.prepare("select at, metrics from latest_readings where device_pk = ? and component = ''").get(pk);
  const device = () => ctx.state.sqlite.prepare('select state, last_reading_at from devices where id = ?').get(pk);
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(async () => {
    ctx = await createTestContext();
    const fx = await seedFixture(ctx);
    agentId = (await seedAgent(ctx, fx.customers[0].siteId)).id;
    pk = await seedDevice(ctx, { agentId, deviceId: 'ctrl-1', kind: 'novastar', state: 'ok' });
    clock = T;
    w = new LatestWriter(ctx.state.sqlite, 30_000, () => clock, ctx.log);
  });
  afterEach(async () => {
    w.close();
    await ctx.cleanup();
  });

  it('writes a device at most once per window, its newest reading, and shows what waits', async () => {
    w.put(pk, undefined, T, { temperature: 40 }, 'ok');
    clock += 10_000;
    w.put(pk, undefined, T + 10_000, { temperature: 41 }, 'ok');
    w.put(pk, 'p0/c1', T + 10_000, { voltage: 5 }, undefined);
    w.flush();
    expect(row()).toBeUndefined();
    expect(w.pendingOf(pk)?.own).toMatchObject({ at: T + 10_000, metrics: { temperature: 41 } });
    expect(w.pendingOf(pk)?.components?.get('p0/c1')).toMatchObject({ metrics: { voltage: 5 } });
    clock = T + 30_000; // 30 s after the device became pending
    w.flush();
    expect(row()).toEqual({ at: T + 10_000, metrics: '{"temperature":41}' });
    expect(device()).toEqual({ state: 'ok', last_reading_at: T + 10_000 });
    expect(w.pendingOf(pk)).toBeUndefined();
    expect(w.counts.devices).toBe(1);
  });

  it('writes a state change at the end of the turn, and an unchanged state behind', async () => {
    w.put(pk, undefined, T, { temperature: 40 }, 'ok');
    await turn();
    expect(row()).toBeUndefined(); // 'ok' is what the device row says already
    w.put(pk, undefined, T + 1000, { temperature: 90 }, 'fault');
    await turn();
    expect(device()).toEqual({ state: 'fault', last_reading_at: T + 1000 });
    expect(row()).toEqual({ at: T + 1000, metrics: '{"temperature":90}' });
    w.put(pk, undefined, T + 2000, { temperature: 91 }, 'fault');
    await turn();
    expect(device()).toEqual({ state: 'fault', last_reading_at: T + 1000 });
  });

  it("writes the agent's last seen and seq at the next tick, and close() writes everything", async () => {
    const agentRow = () => ctx.state.sqlite.prepare('select last_seen, last_seq from agents where id = ?').get(agentId);
    w.touchAgent(agentId, T + 5000, 7);
    w.touchAgent(agentId, T + 6000, 6);
    w.put(pk, undefined, T + 6000, { temperature: 42 }, undefined);
    expect(agentRow()).toEqual({ last_seen: null, last_seq: null });
    w.flush();
    expect(agentRow()).toEqual({ last_seen: T + 6000, last_seq: 7 });
    expect(row()).toBeUndefined(); // the device is not due yet
    w.close();
    expect(row()).toEqual({ at: T + 6000, metrics: '{"temperature":42}' });
  });

  it('an agent heard from while the timer waits for a device is written within a tick', async () => {
    w.put(pk, undefined, T, { temperature: 40 }, undefined); // due in 30 s
    w.touchAgent(agentId, T, 3);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(ctx.state.sqlite.prepare('select last_seq from agents where id = ?').get(agentId)).toEqual({ last_seq: 3 });
    expect(row()).toBeUndefined();
  });

  it('writes devices in first-pending order; one written out of turn and pending again waits its new window', async () => {
    const pks = [pk];
    for (let i = 1; i < 3; i++) pks.push(await seedDevice(ctx, { agentId, deviceId: `ctrl-${i + 1}`, kind: 'novastar', state: 'ok' }));
    const written = () =>
      (ctx.state.sqlite.prepare("select device_pk as pk from latest_readings where component = '' order by device_pk").all() as { pk: number }[]).map((r) => r.pk);
    const [a, b, c] = pks as [number, number, number];
    w.put(a, undefined, T, { temperature: 40 }, 'ok');
    clock += 1000;
    w.put(b, undefined, T + 1000, { temperature: 40 }, 'ok');
    clock += 1000;
    w.put(c, undefined, T + 2000, { temperature: 40 }, 'ok');
    w.put(b, undefined, T + 2000, { temperature: 99 }, 'fault'); // b out of turn, at the end of this turn
    await turn();
    expect(written()).toEqual([b]);
    clock = T + 5000;
    w.put(b, undefined, T + 5000, { temperature: 98 }, 'fault'); // b pending again: due at T + 35 s
    clock = T + 31_000;
    w.flush();
    expect(written()).toEqual([a, b].sort((x, y) => x - y)); // a is due; b's new reading is not
    expect(w.pendingOf(b)?.own?.metrics).toEqual({ temperature: 98 });
    clock = T + 32_000;
    w.flush();
    expect(w.pendingOf(c)).toBeUndefined();
    expect(w.pendingOf(b)).toBeDefined();
    clock = T + 35_000;
    w.flush();
    expect(w.size).toBe(0);
    expect(row()).toBeDefined();
  });

  it('keeps a long queue in order while it is written from the front', async () => {
    const many: number[] = [];
    const insert = ctx.state.sqlite.prepare(
      "insert into devices (agent_id, device_id, kind, capabilities, first_seen, updated_at) values (?, ?, 'novastar', '[]', ?, ?) returning id",
    );
    for (let i = 0; i < 3000; i++) many.push((insert.get(agentId, `card-${i}`, T, T) as { id: number }).id);
    // one device becomes pending every 10 ms of hub time; flushes every 200 ms
    for (let i = 0; i < many.length; i++) {
      clock = T + i * 10;
      w.put(many[i] as number, undefined, clock, { v: i }, undefined);
      if (i % 20 === 19) w.flush();
    }
    const count = () => (ctx.state.sqlite.prepare('select count(*) as n from latest_readings').get() as { n: number }).n;
    expect(count()).toBe(0); // none due within the 30 s window
    clock = T + 30_000 + 14_990; // the first 1,500 are due
    w.flush();
    expect(count()).toBe(1500);
    expect(w.pendingOf(many[1499] as number)).toBeUndefined();
    expect(w.pendingOf(many[1500] as number)).toBeDefined();
    clock = T + 60_000;
    w.flush();
    expect(count()).toBe(3000);
    expect(w.size).toBe(0);
  });

  it('a replayed older reading changes neither the row nor the state', async () => {
    w.put(pk, undefined, T + 5000, { temperature: 40 }, 'warn');
    await turn();
    w.put(pk, undefined, T, { temperature: 10 }, 'ok');
    await turn();
    w.close();
    expect(device()).toEqual({ state: 'warn', last_reading_at: T + 5000 });
    expect(row()).toEqual({ at: T + 5000, metrics: '{"temperature":40}' });
  });
});
