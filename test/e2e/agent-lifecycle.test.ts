import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestHub, provisionAgent, startTestHub, writeAgentConfig } from '../support/hub.js';
import { type Spawned, spawnSource } from '../support/processes.js';
import { tempDir, waitFor } from '../support/services.js';

interface AgentItem {
  id: string;
  online: boolean;
  lastSeen: number | null;
  version: string | null;
}
interface DeviceItem {
  agentId: string;
  deviceId: string;
  kind: string;
  latest: { component: string; at: number; metrics: Record<string, unknown> }[];
}

const KEEPALIVE_S = 5;

describe('a real agent process against a real hub', () => {
  let hub: TestHub;
  let agent: Spawned;
  let agentId: string;
  const work = tempDir('e2e-agent');

  const agentItem = async (): Promise<AgentItem | undefined> => {
    const res = await hub.api<{ items: AgentItem[] }>('GET', '/api/agents');
    return res.body.items.find((a) => a.id === agentId);
  };
  const lastSeq = (): number =>
    (hub.ctx.state.sqlite.prepare('select last_seq from agents where id = ?').get(agentId) as { last_seq: number | null }).last_seq ?? -1;

  beforeAll(async () => {
    hub = await startTestHub();
    const creds = await provisionAgent(hub);
    agentId = creds.agentId;
    const config = join(work.dir, 'agent.yaml');
    writeAgentConfig(config, creds, hub.mqttUrl, {
      hub: { keepaliveS: KEEPALIVE_S },
      dataDir: join(work.dir, 'data'),
      devices: [{ id: 'host', kind: 'host', pollIntervalS: 1 }],
    });
    agent = spawnSource('agent', ['run', '--config', config]);
  });

  afterAll(async () => {
    if (agent.child.exitCode === null) {
      agent.child.kill('SIGCONT');
      agent.child.kill('SIGKILL');
    }
    await hub?.stop();
    work.cleanup();
  });

  it('shows the agent online and its host readings in the devices API', async () => {
    await waitFor('agent online', async () => (await agentItem())?.online === true || undefined, 30_000);
    const devices = await waitFor('host readings', async () => {
      const res = await hub.api<{ items: DeviceItem[] }>('GET', `/api/devices?agentId=${agentId}`);
      const host = res.body.items.find((d) => d.deviceId === 'host');
      return host && host.latest.some((l) => l.component === '' && typeof l.metrics.cpuPct === 'number') ? host : undefined;
    });
    expect(devices.kind).toBe('host');
    const own = devices.latest.find((l) => l.component === '');
    expect(own?.metrics.memUsedPct).toBeGreaterThan(0);
    expect(own?.metrics.memUsedPct).toBeLessThanOrEqual(100);
    expect(devices.latest.some((l) => l.component.startsWith('/'))).toBe(true);
    const item = await agentItem();
    expect(item?.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('marks a frozen agent (SIGSTOP, no FIN) offline within the keep-alive window', async () => {
    await waitFor('a stored seq', () => (lastSeq() >= 0 ? true : undefined));
    agent.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await waitFor('agent offline', async () => ((await agentItem())?.online === false ? true : undefined), 15_000, 100);
    const elapsed = Date.now() - stoppedAt;
    // MQTT servers may wait 1.5 × keep-alive; allow scheduling slack on a busy machine.
    expect(elapsed).toBeLessThan(KEEPALIVE_S * 1500 + 2500);
  });

  it('brings it back online after SIGCONT with a higher seq', async () => {
    const before = lastSeq();
    agent.child.kill('SIGCONT');
    await waitFor('agent online again', async () => ((await agentItem())?.online === true ? true : undefined), 30_000);
    await waitFor('a higher seq', () => (lastSeq() > before ? true : undefined), 15_000);
    expect(lastSeq()).toBeGreaterThan(before);
  });

  it('publishes offline on SIGTERM and exits 0', async () => {
    agent.child.kill('SIGTERM');
    const { code } = await agent.exited;
    expect(code).toBe(0);
    await waitFor('agent offline after shutdown', async () => ((await agentItem())?.online === false ? true : undefined), 10_000);
    expect((await agentItem())?.online).toBe(false);
  });
});
