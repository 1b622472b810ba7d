import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AlarmHub, CARD, createAlarmHub } from './test-utils.js';

describe('alarm lifecycle', () => {
  let hub: AlarmHub;
  const door = (open: boolean) => hub.read(CARD, { doorsOpen: open ? 1 : 0 });
  const doorRows = () => hub.rows("type = 'door-open'");
  beforeEach(async () => {
    hub = await createAlarmHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('a flapping alarm is held open instead of re-raised, and clears after a quiet period', async () => {
    for (let i = 0; i < 3; i++) {
      await door(true);
      hub.advance(20);
      await door(false);
      hub.advance(20);
    }
    // Two cleared alarms, then the third raise within ten minutes is held open.
    expect(doorRows().map((r) => [r.state, r.flapping, r.count])).toEqual([
      ['cleared', 0, 1],
      ['cleared', 0, 1],
      ['active', 1, 1],
    ]);
    await door(true);
    hub.advance(20);
    await door(false);
    expect(doorRows()).toHaveLength(3);
    expect(doorRows()[2]).toMatchObject({ state: 'active', flapping: 1, count: 2 });
    hub.advance(599);
    hub.ctx.alarms.sweep();
    expect(doorRows()[2]).toMatchObject({ state: 'active' });
    hub.advance(1);
    hub.ctx.alarms.sweep();
    expect(doorRows()[2]).toMatchObject({ state: 'cleared', clear_reason: 'auto', flapping: 1 });
    expect(hub.changes.filter((c) => c.alarm.type === 'door-open').slice(4).map((c) => [c.kind, c.alarm.flapping, c.alarm.count])).toEqual([
      ['raised', false, 1],
      ['updated', true, 1],
      ['updated', true, 2],
      ['cleared', true, 2],
    ]);
  });

  test('an alarm raised in a maintenance window is recorded, silent, and announced if still open when the window ends', async () => {
    hub.ctx.state.sqlite.prepare('insert into maintenance_windows (site_id, starts_at, ends_at, created_at) values (?, ?, ?, ?)').run('s1', hub.t - 1000, hub.t + 300_000, hub.t);
    hub.ctx.alarms.maintenanceChanged('s1');
    await hub.read(CARD, { temperatureC: 90 });
    await hub.read('ups-1', { onBattery: true });
    await hub.read('ups-1', { onBattery: false });
    expect(hub.rows().map((r) => [r.type, r.state, r.suppressed])).toEqual([
      ['card-over-temperature', 'active', 1],
      ['ups-on-battery', 'cleared', 1],
    ]);
    expect(hub.changes).toEqual([]);
    hub.advance(300);
    hub.ctx.alarms.sweep();
    expect(hub.rows().map((r) => [r.type, r.state, r.suppressed])).toEqual([
      ['card-over-temperature', 'active', 0],
      ['ups-on-battery', 'cleared', 1],
    ]);
    expect(hub.changes.map((c) => [c.kind, c.alarm.type, c.alarm.suppressed])).toEqual([['raised', 'card-over-temperature', false]]);
  });

  test('a worse severity re-opens an acknowledged alarm', async () => {
    await hub.read(CARD, { temperatureC: 75 });
    const id = hub.rows()[0]?.id ?? 0;
    const by = { userId: 'u1', audit: { userId: 'u1', tokenId: null, ip: null } };
    expect(hub.ctx.alarms.acknowledge(id, by)).toMatchObject({ state: 'acknowledged', ackedBy: 'u1', ackedAt: hub.t });
    await hub.read(CARD, { temperatureC: 72 });
    expect(hub.rows()[0]).toMatchObject({ state: 'acknowledged' });
    await hub.read(CARD, { temperatureC: 90 });
    expect(hub.rows()[0]).toMatchObject({ state: 'active', severity: 'fault', acked_by: null });
  });

  test('a manual clear of a condition that still holds raises a new alarm at the next reading', async () => {
    await hub.read(CARD, { temperatureC: 90 });
    const by = { userId: 'u1', audit: { userId: 'u1', tokenId: null, ip: null } };
    expect(hub.ctx.alarms.clear(hub.rows()[0]?.id ?? 0, by)).toMatchObject({ state: 'cleared', clearReason: 'manual' });
    await hub.read(CARD, { temperatureC: 90 });
    expect(hub.rows().map((r) => r.state)).toEqual(['cleared', 'active']);
  });
});
