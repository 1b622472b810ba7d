/** The whole agent around a damaged outbox: it starts anyway, and tells the hub. */
import { stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../agent.js';
import { startBroker, Watcher, type TestBroker } from '../test-utils/broker.js';
import { fakeRegistry, tempDir, testConfig } from '../test-utils/fixtures.js';
import { OUTBOX_FILE } from './outbox.js';

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

function agent(): Agent {
  const a = new Agent({ config: testConfig(broker.url, dir.path), registry: fakeRegistry(), batchMs: 20 });
  agents.push(a);
  return a;
}

const seqOf = (m: { payload: Record<string, unknown> }): number => m.payload.seq as number;

describe('Agent with a damaged outbox', () => {
  it('starts on a truncated outbox file, reports outbox-corrupt on the events topic, and keeps seq rising', async () => {
    const first = agent();
    await first.start();
    await watcher.waitFor((m) => m.topic.endsWith('/telemetry') && seqOf(m) >= 2);
    await first.stop();
    const before = Math.max(...watcher.on('/telemetry').map(seqOf));
    const file = join(dir.path, OUTBOX_FILE);
    await truncate(file, Math.floor((await stat(file)).size / 2));

    const second = agent();
    await second.start();
    const report = await watcher.waitFor((m) => m.topic.endsWith('/events'), 10_000, 'the outbox-corrupt event');
    expect(seqOf(report)).toBeGreaterThan(before);
    expect(report.payload.events).toEqual([expect.objectContaining({ type: 'outbox-corrupt', action: 'info', severity: 'fault' })]);
    const next = await watcher.waitFor((m) => m.topic.endsWith('/telemetry') && seqOf(m) > seqOf(report));
    expect(next.payload.readings).toEqual([expect.objectContaining({ device: 'fake-1' })]);
    expect(second.stats()?.link.outbox.recovered?.movedTo).toMatch(/outbox\.db\.corrupt-\d+$/);
  });
});
