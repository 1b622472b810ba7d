import { Type } from 'typebox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from './agent.js';
import { resolveAgentConfig } from './config.js';
import { startBroker, Watcher, type TestBroker } from './test-utils/broker.js';
import { fakeRegistry, tempDir, testConfig } from './test-utils/fixtures.js';
import { actAsHub } from './test-utils/link.js';

let broker: TestBroker;
let watcher: Watcher;
let dir: Awaited<ReturnType<typeof tempDir>>;
const agents: Agent[] = [];

beforeEach(async () => {
  broker = await startBroker();
  watcher = await Watcher.start(broker.url);
  dir = await tempDir();
});

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
  await watcher.close();
  await broker.close();
  await dir.remove();
});

function agent(opts: Partial<ConstructorParameters<typeof Agent>[0]> = {}): Agent {
  const a = new Agent({ config: testConfig(broker.url, dir.path), registry: fakeRegistry(), batchMs: 20, ...opts });
  agents.push(a);
  return a;
}

const telemetrySeqs = (): number[] => watcher.on('/telemetry').map((m) => m.payload.seq as number);

describe('Agent', () => {
  it('publishes its birth and the readings of its drivers, and says goodbye on stop', async () => {
    const a = agent();
    await a.start();
    const t = await watcher.waitFor((m) => m.topic.endsWith('/telemetry'));
    expect(t.payload).toMatchObject({ seq: 0, sessionId: a.link?.sessionId, readings: [{ device: 'fake-1', metrics: { polls: 1 }, state: 'ok' }] });
    const inv = watcher.on('/inventory')[0];
    expect(inv?.payload.devices).toEqual([{ id: 'fake-1', kind: 'fake', model: 'Fake 1', capabilities: ['count'] }]);
    expect(a.stats()?.link.outbox).toMatchObject({ rows: expect.any(Number), droppedBatches: 0 });
    await a.stop();
    const last = watcher.on('/status').at(-1);
    expect(last?.payload).toMatchObject({ state: 'offline', reason: 'shutdown' });
  });

  it('keeps seq rising across a stop and a start with the same data folder', async () => {
    actAsHub(watcher);
    const first = agent();
    await first.start();
    await watcher.waitFor((m) => m.topic.endsWith('/telemetry'));
    await first.stop();
    const before = Math.max(...telemetrySeqs());
    const second = agent();
    await second.start();
    await watcher.waitFor((m) => m.topic.endsWith('/telemetry') && (m.payload.seq as number) > before);
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
    await watcher.waitFor((m) => m.topic.endsWith('/inventory'));
    expect(watcher.on('/telemetry')).toEqual([]);
    await a.stop();
    expect(watcher.on('/telemetry').map((m) => m.payload.readings)).toEqual([[expect.objectContaining({ device: 'fake-1' })]]);
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
      { ...testConfig(broker.url, dir.path), devices: [{ id: 'fake-1', kind: 'fake' }, { id: 'rs485', kind: 'broken', pollIntervalS: 1 }] },
      { registry },
    );
    await agent({ config, registry }).start();
    const t = await watcher.waitFor((m) => m.topic.endsWith('/telemetry') && (m.payload.readings as unknown[]).length === 2);
    expect(t.payload.readings).toEqual([
      expect.objectContaining({ device: 'fake-1', state: 'ok' }),
      expect.objectContaining({ device: 'rs485', state: 'unreachable', metrics: { pollError: 'serial port /dev/ttyUSB9 missing' } }),
    ]);
    const inv = await watcher.waitFor((m) => m.topic.endsWith('/inventory'));
    expect(inv.payload.devices).toContainEqual({ id: 'rs485', kind: 'broken', capabilities: [] });
  });

  it('refuses to start twice', async () => {
    const a = agent();
    await a.start();
    await expect(a.start()).rejects.toMatchObject({ code: 'agent-state' });
  });
});
