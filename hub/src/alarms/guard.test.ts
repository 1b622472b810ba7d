import { topics } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type AlarmHub, CARD, createAlarmHub } from './test-utils.js';

describe('alarm evaluation never breaks ingest', () => {
  let hub: AlarmHub;
  const acks = () => hub.link.published.filter((p) => p.topic === topics.ack('a1')).length;
  beforeEach(async () => {
    hub = await createAlarmHub();
  });
  afterEach(async () => {
    await hub.cleanup();
  });

  test('a failed alarm write is logged and counted, the reading still acknowledged, and the next reading raises', async () => {
    hub.ctx.state.sqlite.exec('alter table alarms rename to alarms_away');
    await hub.read(CARD, { temperatureC: 90 });
    expect(acks()).toBe(1);
    expect(await hub.ctx.metrics.registry.metrics()).toMatch(/ledwatch_alarm_errors_total\{where="readings"\} 1/);
    hub.ctx.state.sqlite.exec('alter table alarms_away rename to alarms');
    await hub.read(CARD, { temperatureC: 91 });
    expect(acks()).toBe(2);
    expect(hub.rows()).toMatchObject([{ type: 'card-over-temperature', state: 'active', last_value: '91' }]);
  });

  test('a bus listener that throws neither stops ingest nor the other listeners', async () => {
    const seen: string[] = [];
    hub.ctx.bus.prependListener('alarm', () => {
      throw new Error('listener bug');
    });
    hub.ctx.bus.on('alarm', (c) => seen.push(c.kind));
    await hub.read(CARD, {}, { state: 'missing' });
    expect(acks()).toBe(1);
    expect(hub.rows()).toMatchObject([{ type: 'card-missing', state: 'active' }]);
    expect(seen).toEqual(['raised']);
    expect(hub.changes.map((c) => c.kind)).toEqual(['raised']);
  });
});
