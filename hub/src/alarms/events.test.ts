import { topics } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AlarmHub, CARD, createAlarmHub } from './test-utils.js';

describe('alarms from events', () => {
  let hub: AlarmHub;
  beforeEach(async () => {
    hub = await createAlarmHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('an agent outbox overflow raises a risk on the agent, repeats count, and it clears after an hour of quiet', async () => {
    const overflow = { type: 'outbox-overflow', action: 'info', severity: 'risk', message: 'dropped the oldest 3 batches' } as const;
    await hub.events(overflow);
    hub.advance(600);
    await hub.events(overflow);
    expect(hub.rows()).toMatchObject([{ device_id: '', type: 'outbox-overflow', severity: 'risk', state: 'active', count: 2, message: 'dropped the oldest 3 batches' }]);
    expect(hub.changes.map((c) => c.kind)).toEqual(['raised', 'updated']);
    hub.advance(3599);
    hub.ctx.alarms.sweep();
    expect(hub.rows("type = 'outbox-overflow'")).toMatchObject([{ state: 'active' }]);
    hub.advance(1);
    hub.ctx.alarms.sweep();
    expect(hub.rows("type = 'outbox-overflow'")).toMatchObject([{ state: 'cleared', clear_reason: 'auto' }]);
  });

  test('a replayed events batch is stored and counted once', async () => {
    const batch = { seq: 900, sessionId: 's-1', events: [{ type: 'outbox-overflow', action: 'info', at: hub.t }] };
    await hub.send(topics.events('a1'), batch);
    await hub.send(topics.events('a1'), batch);
    expect(hub.rows()).toMatchObject([{ type: 'outbox-overflow', count: 1 }]);
  });

  test('site clock skew found by the hub raises clock-skew and clears it when the clock is right again', async () => {
    const day = 86_400_000;
    const batch = (seq: number, skewMs: number) => ({ seq, sessionId: 's-1', sentAt: hub.t - skewMs, readings: [{ device: 'host', at: hub.t - skewMs, metrics: { cpuPct: 1 } }] });
    await hub.send(topics.telemetry('a1'), batch(500, 0));
    await hub.send(topics.telemetry('a1'), batch(501, day));
    expect(hub.rows()).toMatchObject([{ device_id: '', type: 'clock-skew', severity: 'risk', state: 'active' }]);
    await hub.send(topics.telemetry('a1'), batch(502, 0));
    expect(hub.rows()).toMatchObject([{ type: 'clock-skew', state: 'cleared' }]);
  });

  test('a device-reported fault without a rule of its own raises under its type and severity, and its clear clears it', async () => {
    await hub.events({ type: 'psu-fan-noise', action: 'raised', device: 'psu-1', severity: 'fault', message: 'fan bearing' });
    expect(hub.rows()).toMatchObject([{ device_id: 'psu-1', type: 'psu-fan-noise', severity: 'fault', rule_id: 'device-event', message: 'fan bearing' }]);
    await hub.events({ type: 'psu-fan-noise', action: 'cleared', device: 'psu-1' });
    expect(hub.rows()).toMatchObject([{ state: 'cleared' }]);
  });

  test('info events without a rule of their own are only recorded', async () => {
    await hub.events({ type: 'config-applied', action: 'info', device: CARD });
    expect(hub.rows()).toEqual([]);
    expect(hub.ctx.state.sqlite.prepare("select count(*) n from agent_events where type = 'config-applied'").get()).toEqual({ n: 1 });
  });
});
