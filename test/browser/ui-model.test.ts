import { describe, expect, it } from 'vitest';
import { NEXT, applyAlarm, applyReadings, installCommand, nextDeadline } from '../../dashboards/src/model.js';
import type { Alarm, Device, LiveReading, Ticket } from '../../dashboards/src/types.js';
import { TRANSITIONS } from '../../hub/src/tickets/workflow.js';

const device = (deviceId: string, at: number, state: string): Device => ({
  id: 1, agentId: 'a1', deviceId, siteId: 's1', kind: 'novastar', name: null, model: null, parent: 'ctrl-1', state, present: true,
  capabilities: [], lastReadingAt: at, latest: [{ component: '', at, metrics: { temperatureC: 40 }, state }],
});
const reading = (deviceId: string, at: number, state: string, component = ''): LiveReading => ({ siteId: 's1', agentId: 'a1', deviceId, component, at, metrics: { temperatureC: 90 }, state });

describe('applyReadings', () => {
  it('puts a newer reading in place and takes its state', () => {
    const [d] = applyReadings([device('c1', 1000, 'ok')], [reading('c1', 2000, 'fault')]);
    expect(d).toMatchObject({ state: 'fault', lastReadingAt: 2000, latest: [{ component: '', at: 2000, metrics: { temperatureC: 90 }, state: 'fault' }] });
  });

  it('never lets an older reading replace a newer one, whatever the order in the batch', () => {
    const [d] = applyReadings([device('c1', 1000, 'ok')], [reading('c1', 3000, 'warn'), reading('c1', 2000, 'fault'), reading('c1', 500, 'ok')]);
    expect(d?.state).toBe('warn');
    expect(d?.latest).toHaveLength(1);
  });

  it('adds a component reading without touching the device state, and leaves other devices as they were', () => {
    const other = device('c2', 1000, 'ok');
    const [d, o] = applyReadings([device('c1', 1000, 'ok'), other], [reading('c1', 2000, 'fault', 'fan1')]);
    expect(d?.state).toBe('ok');
    expect(d?.latest.map((l) => l.component)).toEqual(['', 'fan1']);
    expect(o).toBe(other);
  });
});

describe('applyAlarm', () => {
  const alarm = (id: number, state: Alarm['state']) => ({ id, state }) as Alarm;
  it('adds a raised alarm on top, replaces an updated one and drops a cleared one', () => {
    let list = applyAlarm([], alarm(1, 'active'));
    list = applyAlarm(list, alarm(2, 'active'));
    expect(list.map((a) => a.id)).toEqual([2, 1]);
    list = applyAlarm(list, alarm(1, 'acknowledged'));
    expect(list.map((a) => [a.id, a.state])).toEqual([[1, 'acknowledged'], [2, 'active']]);
    expect(applyAlarm(list, alarm(2, 'cleared')).map((a) => a.id)).toEqual([1]);
  });
});

describe('nextDeadline', () => {
  const t = (over: Partial<Ticket>): Ticket => ({ state: 'new', respondedAt: null, onSiteAt: null, resolvedAt: null, respondBy: 100, onSiteBy: 200, resolveBy: 300, ...over }) as Ticket;
  it('counts down to the first deadline not yet met, and to none once resolved', () => {
    expect(nextDeadline(t({}))).toEqual({ what: 'respond', at: 100 });
    expect(nextDeadline(t({ state: 'assigned', respondedAt: 50 }))).toEqual({ what: 'on site', at: 200 });
    expect(nextDeadline(t({ state: 'on-site', respondedAt: 50, onSiteAt: 150 }))).toEqual({ what: 'resolve', at: 300 });
    expect(nextDeadline(t({ state: 'resolved', respondedAt: 50, onSiteAt: 150, resolvedAt: 250 }))).toBeUndefined();
    expect(nextDeadline(t({ respondBy: null, onSiteBy: null, resolveBy: null }))).toBeUndefined();
  });
});

describe('the ticket board', () => {
  it("offers exactly the moves the hub's workflow allows", () => {
    expect(NEXT).toEqual(TRANSITIONS);
  });
});

describe('installCommand', () => {
  it('writes an agent.yaml with the id, secret and broker URL, then runs the agent', () => {
    const cmd = installCommand({ agentId: 'wall-1a2b3c4d', secret: 's3cr3t', mqttUrl: 'mqtts://hub.example.com:8883' }, 'ignored');
    expect(cmd).toContain('agentId: wall-1a2b3c4d\nsecret: s3cr3t\nhub:\n  url: mqtts://hub.example.com:8883\n');
    expect(cmd.split('\n').at(-1)).toBe('ledwatch-agent run --config /etc/ledwatch/agent.yaml');
    expect(installCommand({ agentId: 'x', secret: 'y' }, 'hub.local')).toContain('  url: mqtt://hub.local:1883\n');
  });
});
