import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { Agent } from './agent.js';
import { resolveAgentConfig } from './config.js';
import { useAgentHarness } from './test-utils/agent-harness.js';
import { fakeRegistry, testConfig } from './test-utils/fixtures.js';
import { actAsHub } from './test-utils/link.js';

const h = useAgentHarness();
const agent = (opts: Parameters<typeof h.agent>[0] = {}): Agent => h.agent(opts);

const telemetrySeqs = (): number[] => h.watcher.on('/telemetry').map((m) => m.payload.seq as number);

describe('Agent', () => {
  it('publishes its birth and the readings of its drivers, and says goodbye on stop', async () => {
    const a = agent();
    await a.start();
    const t = await h.watcher.waitFor((m) => m.topic.endsWith('/telemetry'));
    expect(t.payload).toMatchObject({ seq: 0, sessionId: a.link?.sessionId, readings: [{ device: 'fake-1', metrics: { polls: 1 }, state: 'ok' }] });
    const inv = h.watcher.on('/inventory')[0];
    expect(inv?.payload.devices).toEqual([{ id: 'fake-1', kind: 'fake', model: 'Fake 1', capabilities: ['count'] }]);
    expect(a.stats()?.link.outbox).toMatchObject({ rows: expect.any(Number), droppedBatches: 0 });
    await a.stop();
    const last = h.watcher.on('/status').at(-1);
    expect(last?.payload).toMatchObject({ state: 'offline', reason: 'shutdown' });
  });

  it('keeps seq rising across a stop and a start with the same data folder', async () => {
    actAsHub(h.watcher);
    const first = agent();
    await first.start();
    await h.watcher.waitFor((m) => m.topic.endsWith('/telemetry'));
    await first.stop();
    const before = Math.max(...telemetrySeqs());
    const second = agent();
    await second.start();
    await h.watcher.waitFor((m) => m.topic.endsWith('/telemetry') && (m.payload.seq as number) > before);
    await second.stop();
    const seqs = telemetrySeqs();
    expect(seqs.slice(-1)[0]).toBeGreaterThan(before);
    // Batches the hub had not acked before the stop may come again; new ones follow in order.
    const fresh = seqs.filter((s) => s > before);
    expect([...fresh].sort((x, y) => x - y)).toEqual(fresh);
  });

  it('flushes readings gathered but not yet sent when it stops', async () => {
    const a = agent({ batchMs: 60_000 });
    await a.start();
    await h.watcher.waitFor((m) => m.topic.endsWith('/inventory'));
    expect(h.watcher.on('/telemetry')).toEqual([]);
    await a.stop();
    expect(h.watcher.on('/telemetry').map((m) => m.payload.readings)).toEqual([[expect.objectContaining({ device: 'fake-1' })]]);
  });

  it('reports a device whose driver cannot be created as unreachable, and keeps the others', async () => {
    const registry = fakeRegistry().register({
      kind: 'broken',
      optionsSchema: Type.Object({}),
      create: () => {
        throw new Error('serial port /dev/ttyUSB9 missing');
      },
    });
    const config = resolveAgentConfig(
      { ...testConfig(h.broker.url, h.dir), devices: [{ id: 'fake-1', kind: 'fake' }, { id: 'rs485', kind: 'broken', pollIntervalS: 1 }] },
      { registry },
    );
    await agent({ config, registry }).start();
    const t = await h.watcher.waitFor((m) => m.topic.endsWith('/telemetry') && (m.payload.readings as unknown[]).length === 2);
    expect(t.payload.readings).toEqual([
      expect.objectContaining({ device: 'fake-1', state: 'ok' }),
      expect.objectContaining({ device: 'rs485', state: 'unreachable', metrics: { pollError: 'serial port /dev/ttyUSB9 missing' } }),
    ]);
    const inv = await h.watcher.waitFor((m) => m.topic.endsWith('/inventory'));
    expect(inv.payload.devices).toContainEqual({ id: 'rs485', kind: 'broken', capabilities: [] });
  });

  it('refuses to start twice', async () => {
    const a = agent();
    await a.start();
    await expect(a.start()).rejects.toMatchObject({ code: 'agent-state' });
  });
});
