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
