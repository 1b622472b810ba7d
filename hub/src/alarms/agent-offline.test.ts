import { topics } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AlarmHub, CARD, INVENTORY, createAlarmHub } from './test-utils.js';

describe('agent offline and stale data', () => {
  let hub: AlarmHub;
  beforeEach(async () => {
    hub = await createAlarmHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('killing the agent raises one agent-offline alarm and no per-device alarms', async () => {
    await hub.read(CARD, { temperatureC: 40 });
    hub.link.dropAgent('a1'); // the broker saw the connection go (keep-alive missed)
    await hub.read(CARD, { temperatureC: 95 }, { state: 'fault' }); // in flight when it died
    hub.advance(3600);
    hub.ctx.alarms.sweep(); // long past every device's stale-data limit
    expect(hub.rows().map((r) => [r.device_id, r.type, r.severity, r.state])).toEqual([['', 'agent-offline', 'fault', 'active']]);
    expect(hub.changes.map((c) => [c.kind, c.alarm.type])).toEqual([['raised', 'agent-offline']]);
  });

  test('the agent coming back clears agent-offline, and its devices raise again', async () => {
    await hub.send(topics.status('a1'), { state: 'offline', version: '1', sessionId: 's-1', startedAt: hub.t, at: hub.t, reason: 'lost' });
    expect(hub.rows()).toMatchObject([{ type: 'agent-offline', state: 'active' }]);
    await hub.online();
    await hub.read(CARD, { temperatureC: 95 });
    expect(hub.rows().map((r) => [r.type, r.state])).toEqual([
      ['agent-offline', 'cleared'],
      ['card-over-temperature', 'active'],
    ]);
  });

  test('an agent online before a hub start that does not come back within the grace period goes offline', async () => {
    hub.ctx.alarms.expectAgents(); // what ingest.resetOnline() does at start
    hub.advance(119);
    hub.ctx.alarms.sweep();
    expect(hub.rows()).toEqual([]);
    hub.advance(1);
    hub.ctx.alarms.sweep();
    expect(hub.rows()).toMatchObject([{ type: 'agent-offline', state: 'active' }]);
  });

  test('revoking an agent clears its alarms instead of calling it offline', async () => {
    await hub.read(CARD, { temperatureC: 95 });
    hub.ctx.state.sqlite.prepare("update agents set revoked_at = 1 where id = 'a1'").run();
    hub.ctx.bus.emit('agent-revoked', 'a1');
    expect(hub.rows().map((r) => [r.type, r.state, r.clear_reason])).toEqual([['card-over-temperature', 'cleared', 'agent-revoked']]);
  });

  test('a device of an online agent silent for ten minutes raises stale-data; its next reading clears it', async () => {
    await hub.send(topics.inventory('a1'), { sessionId: 's-1', at: hub.t, devices: INVENTORY.filter((d) => d.id === 'host') });
    hub.advance(599);
    hub.ctx.alarms.sweep();
    expect(hub.rows()).toEqual([]);
    hub.advance(1);
    hub.ctx.alarms.sweep();
    expect(hub.rows()).toMatchObject([{ device_id: 'host', type: 'stale-data', severity: 'risk', last_value: '600' }]);
    await hub.read('host', { cpuPct: 3 });
    expect(hub.rows()).toMatchObject([{ type: 'stale-data', state: 'cleared' }]);
  });
});
