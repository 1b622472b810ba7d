import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AlarmHub, CARD, createAlarmHub } from './test-utils.js';

describe('alarms across a hub restart', () => {
  let hub: AlarmHub;
  beforeEach(async () => {
    hub = await createAlarmHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('open alarms survive a restart and a repeat afterwards updates them instead of opening duplicates', async () => {
    await hub.read(CARD, { temperatureC: 90 });
    await hub.read(CARD, {}, { component: 'x', state: 'missing' }); // a component-level state alarm elsewhere
    await hub.events({ type: 'outbox-overflow', action: 'info' });
    const before = hub.rows();
    const announced = hub.changes.length;
    await hub.restart();
    await hub.online();
    await hub.read(CARD, { temperatureC: 91 });
    await hub.events({ type: 'outbox-overflow', action: 'info' });
    expect(hub.rows().map((r) => [r.id, r.type, r.state])).toEqual(before.map((r) => [r.id, r.type, 'active']));
    expect(hub.rows("type = 'outbox-overflow'")).toMatchObject([{ count: 2 }]);
    expect(hub.changes.slice(announced).map((c) => [c.kind, c.alarm.type])).toEqual([['updated', 'outbox-overflow']]);
  });

  test('after a restart the thresholds still apply with their hysteresis', async () => {
    await hub.read(CARD, { temperatureC: 90 });
    await hub.restart();
    await hub.online();
    await hub.read(CARD, { temperatureC: 82 }); // between the fault tier's 85 and its clear at 80
    expect(hub.rows()).toMatchObject([{ severity: 'fault', state: 'active' }]);
    await hub.read(CARD, { temperatureC: 75 });
    expect(hub.rows()).toMatchObject([{ severity: 'risk', state: 'active' }]);
    await hub.read(CARD, { temperatureC: 60 });
    expect(hub.rows()).toMatchObject([{ state: 'cleared' }]);
  });

  test('acknowledgements and an agent that is still offline survive a restart', async () => {
    await hub.read(CARD, { temperatureC: 90 });
    const by = { userId: 'u1', audit: { userId: 'u1', tokenId: null, ip: null } };
    hub.ctx.alarms.acknowledge(hub.rows()[0]?.id ?? 0, by);
    hub.link.dropAgent('a1');
    await hub.restart();
    await hub.read(CARD, { temperatureC: 40 }, { state: 'missing' }); // still offline: raises nothing
    expect(hub.rows().map((r) => [r.type, r.state])).toEqual([
      ['card-over-temperature', 'cleared'],
      ['agent-offline', 'active'],
    ]);
    expect(hub.rows()[0]).toMatchObject({ acked_by: 'u1' });
  });
});
