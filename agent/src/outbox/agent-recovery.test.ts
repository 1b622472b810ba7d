/** The whole agent around a damaged outbox: it starts anyway, and tells the hub. */
import { stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Agent } from '../agent.js';
import { useAgentHarness } from '../test-utils/agent-harness.js';
import { OUTBOX_FILE } from './outbox.js';

const h = useAgentHarness();
const agent = (opts: Parameters<typeof h.agent>[0] = {}): Agent => h.agent(opts);

const seqOf = (m: { payload: Record<string, unknown> }): number => m.payload.seq as number;

describe('Agent with a damaged outbox', () => {
  it('starts on a truncated outbox file, reports outbox-corrupt on the events topic, and keeps seq rising', async () => {
    const first = agent();
    await first.start();
    await h.watcher.waitFor((m) => m.topic.endsWith('/telemetry') && seqOf(m) >= 2);
    await first.stop();
    const before = Math.max(...h.watcher.on('/telemetry').map(seqOf));
    const file = join(h.dir, OUTBOX_FILE);
    await truncate(file, Math.floor((await stat(file)).size / 2));

    const second = agent();
    await second.start();
    const report = await h.watcher.waitFor((m) => m.topic.endsWith('/events'), 10_000, 'the outbox-corrupt event');
    expect(seqOf(report)).toBeGreaterThan(before);
    expect(report.payload.events).toEqual([expect.objectContaining({ type: 'outbox-corrupt', action: 'info', severity: 'fault' })]);
    const next = await h.watcher.waitFor((m) => m.topic.endsWith('/telemetry') && seqOf(m) > seqOf(report));
    expect(next.payload.readings).toEqual([expect.objectContaining({ device: 'fake-1' })]);
    expect(second.stats()?.link.outbox.recovered?.movedTo).toMatch(/outbox\.db\.corrupt-\d+$/);
  });
});
