import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Agent } from './agent.js';
import { REMOTE_CONFIG_FILE } from './remote-config.js';
import { useAgentHarness } from './test-utils/agent-harness.js';

const h = useAgentHarness();
const root = 'ledwatch/v1/site-1';

async function started(): Promise<Agent> {
  const a = h.agent();
  await a.start();
  await h.watcher.waitFor((m) => m.topic === `${root}/inventory`);
  return a;
}

async function push(id: string, params: unknown): Promise<Record<string, unknown>> {
  await h.watcher.client.publishAsync(`${root}/cmd/${id}`, JSON.stringify({ id, type: 'config', issuedAt: Date.now(), params }), { qos: 1 });
  return (await h.watcher.waitFor((m) => m.topic === `${root}/cmd-result/${id}`)).payload;
}

const devicesPolled = (): Set<string> => new Set(h.watcher.on('/telemetry').flatMap((m) => (m.payload.readings as { device: string }[]).map((r) => r.device)));

describe('remote configuration', () => {
  it('applies a pushed config without a restart: new devices are polled and the inventory says so', async () => {
    const a = await started();
    const sessionBefore = a.link?.sessionId;
    const result = await push('cfg-1', {
      version: 1,
      config: { devices: [{ id: 'fake-1', kind: 'fake', pollIntervalS: 1 }, { id: 'fake-2', kind: 'fake', pollIntervalS: 1 }] },
    });
    expect(result).toMatchObject({ state: 'succeeded', result: { version: 1, devices: 2 } });
    await h.watcher.waitFor(() => devicesPolled().has('fake-2'));
    const inventories = h.watcher.on('/inventory');
    expect((inventories.at(-1)?.payload.devices as { id: string }[]).map((d) => d.id)).toEqual(['fake-1', 'fake-2']);
    expect(a.link?.sessionId).toBe(sessionBefore); // same connection: no restart
    expect(h.watcher.on('/status').at(-1)?.payload).toMatchObject({ state: 'online', configVersion: 1 });
    expect(existsSync(join(h.dir, REMOTE_CONFIG_FILE))).toBe(true);
  });

  it('refuses a bad config with every problem and keeps the one in force', async () => {
    await started();
    const result = await push('cfg-bad', {
      version: 1,
      config: { devices: [{ id: 'fake-1', kind: 'flux-capacitor' }, { id: 'fake-1', kind: 'fake', pollIntervalS: 0 }] },
    });
    expect(result).toMatchObject({ state: 'rejected', error: { code: 'config-invalid' } });
    const issues = (result.result as { issues: string[] }).issues.join('\n');
    expect(issues).toMatch(/devices\.0\.kind/);
    expect(issues).toMatch(/flux-capacitor/);
    expect(issues).toMatch(/devices\.1\.pollIntervalS/);
    const polls = h.watcher.on('/telemetry').length;
    await h.watcher.waitFor(() => h.watcher.on('/telemetry').length > polls);
    expect([...devicesPolled()]).toEqual(['fake-1']);
    expect(existsSync(join(h.dir, REMOTE_CONFIG_FILE))).toBe(false);
  });

  it('refuses params that break the contract and an older version than the one in force', async () => {
    await started();
    expect(await push('cfg-shape', { version: 'one', config: {} })).toMatchObject({ state: 'rejected', error: { code: 'config-invalid' } });
    expect(await push('cfg-2', { version: 2, config: { devices: [{ id: 'fake-1', kind: 'fake' }] } })).toMatchObject({ state: 'succeeded' });
    expect(await push('cfg-old', { version: 1, config: { devices: [] } })).toMatchObject({ state: 'rejected', error: { code: 'config-stale' } });
  });

  it('keeps the pushed config across a restart and reports its version', async () => {
    const a = await started();
    await push('cfg-1', { version: 3, config: { devices: [{ id: 'fake-9', kind: 'fake', pollIntervalS: 1 }] } });
    await a.stop();
    h.forget(a);
    await started();
    const status = h.watcher.on('/status').filter((m) => m.payload.state === 'online').at(-1);
    expect(status?.payload.configVersion).toBe(3);
    const inv = h.watcher.on('/inventory').at(-1);
    expect((inv?.payload.devices as { id: string }[]).map((d) => d.id)).toEqual(['fake-9']);
  });
});
