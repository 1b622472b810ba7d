import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AlarmHub, CARD, createAlarmHub } from './test-utils.js';

describe('alarm evaluation on readings', () => {
  let hub: AlarmHub;
  beforeEach(async () => {
    hub = await createAlarmHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('an over-temperature on one card opens exactly one alarm and announces it once', async () => {
    await hub.read(CARD, { temperatureC: 45, voltageV: 5 });
    await hub.read(CARD, { temperatureC: 90, voltageV: 5 });
    expect(hub.rows()).toMatchObject([{ agent_id: 'a1', device_id: CARD, component: '', type: 'card-over-temperature', severity: 'fault', state: 'active', rule_id: 'card-temperature-fault', site_id: 's1', customer_id: 'c1', count: 1, last_value: '90' }]);
    expect(hub.changes.map((c) => [c.kind, c.alarm.type, c.alarm.severity])).toEqual([['raised', 'card-over-temperature', 'fault']]);
    expect(hub.changes[0]?.alarm.id).toBe(hub.rows()[0]?.id);
  });

  test('repeated readings update the open alarm instead of opening another', async () => {
    for (const t of [90, 91, 92]) {
      await hub.read(CARD, { temperatureC: t });
      hub.advance(10);
    }
    const [row] = hub.rows();
    expect(hub.rows()).toHaveLength(1);
    expect(hub.ctx.alarms.openView(row?.id ?? 0)).toMatchObject({ lastValue: 92, lastSeen: hub.t - 10_000, count: 1, message: 'Receiving card overheating: temperatureC 92 >= 85' });
    expect(hub.changes.map((c) => c.kind)).toEqual(['raised']);
  });

  test('the alarm clears below the clear threshold, not between the thresholds', async () => {
    await hub.read(CARD, { temperatureC: 75 });
    await hub.read(CARD, { temperatureC: 68 });
    expect(hub.rows()).toMatchObject([{ state: 'active', severity: 'risk' }]);
    await hub.read(CARD, { temperatureC: 64 });
    expect(hub.rows()).toMatchObject([{ state: 'cleared', clear_reason: 'auto', cleared_at: hub.t }]);
    expect(hub.changes.map((c) => c.kind)).toEqual(['raised', 'cleared']);
  });

  test('severity follows the worst tier that holds, each with its own hysteresis', async () => {
    await hub.read(CARD, { temperatureC: 75 });
    await hub.read(CARD, { temperatureC: 88 });
    await hub.read(CARD, { temperatureC: 82 });
    expect(hub.rows()).toMatchObject([{ severity: 'fault', state: 'active' }]);
    await hub.read(CARD, { temperatureC: 78 });
    expect(hub.rows()).toMatchObject([{ severity: 'risk', state: 'active' }]);
    expect(hub.changes.map((c) => [c.kind, c.alarm.severity])).toEqual([
      ['raised', 'risk'],
      ['updated', 'fault'],
      ['updated', 'risk'],
    ]);
  });

  test('a hold time raises only when the condition is true at readings spanning it', async () => {
    await hub.read('ctrl-1', { held: true }, { state: 'held' });
    hub.advance(60);
    await hub.read('ctrl-1', { held: true }, { state: 'held' });
    hub.advance(30);
    await hub.read('ctrl-1', { dviSignal: true }, { state: 'ok' }); // resets the clock
    hub.advance(30);
    await hub.read('ctrl-1', { held: true }, { state: 'held' });
    hub.advance(100);
    await hub.read('ctrl-1', { held: true }, { state: 'held' });
    expect(hub.rows()).toEqual([]);
    hub.advance(20);
    await hub.read('ctrl-1', { held: true }, { state: 'held' });
    expect(hub.rows()).toMatchObject([{ type: 'controller-held', severity: 'risk', device_id: 'ctrl-1' }]);
  });

  test('a receiving card going missing raises a fault at once and clears when it answers again', async () => {
    await hub.read(CARD, {}, { state: 'missing' });
    expect(hub.rows()).toMatchObject([{ type: 'card-missing', severity: 'fault', state: 'active' }]);
    expect(hub.changes.map((c) => c.kind)).toEqual(['raised']);
    await hub.read(CARD, { temperatureC: 40 }, { state: 'ok' });
    expect(hub.rows()).toMatchObject([{ type: 'card-missing', state: 'cleared' }]);
  });

  test('smoke is critical and an unreachable controller a fault, both at once', async () => {
    await hub.read(CARD, { smoke: true, temperatureC: 40 });
    await hub.read('ctrl-1', { pollError: 'timeout' }, { state: 'unreachable' });
    expect(hub.rows().map((r) => [r.device_id, r.type, r.severity])).toEqual([
      [CARD, 'smoke', 'critical'],
      ['ctrl-1', 'controller-unreachable', 'fault'],
    ]);
  });

  test('UPS, power supply and disk rules watch their own device kinds and components', async () => {
    await hub.read('ups-1', { onBattery: true, lowBattery: false });
    await hub.read('psu-1', { fault: false, underVoltage: true, temperatureC: 50 });
    await hub.read('host', { usedPct: 95 }, { component: '/var' });
    await hub.read('host', { temperatureC: 99 }); // not a card: no card rule applies
    expect(hub.rows().map((r) => [r.device_id, r.component, r.type, r.severity])).toEqual([
      ['ups-1', '', 'ups-on-battery', 'risk'],
      ['psu-1', '', 'psu-under-voltage', 'fault'],
      ['host', '/var', 'disk-full', 'risk'],
    ]);
  });

  test('a reading older than the newest one evaluated changes nothing', async () => {
    await hub.read(CARD, { temperatureC: 90 });
    await hub.read(CARD, { temperatureC: 40 }, { at: hub.t - 60_000 });
    expect(hub.rows()).toMatchObject([{ state: 'active' }]);
  });
});
