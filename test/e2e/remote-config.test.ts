import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestHub, provisionAgent, startTestHub } from '../support/hub.js';
import { type Spawned, spawnSource } from '../support/processes.js';
import { tempDir, waitFor } from '../support/services.js';

interface ConfigVersion {
  version: number;
  status: string;
  errors: string[] | null;
  commandId: string | null;
}

describe('remote configuration through the hub, with a real agent process', () => {
  let hub: TestHub;
  let agent: Spawned;
  let agentId: string;
  const work = tempDir('e2e-config');

  beforeAll(async () => {
    hub = await startTestHub();
    const creds = await provisionAgent(hub, 'configured');
    agentId = creds.agentId;
    const file = join(work.dir, 'agent.yaml');
    writeFileSync(
      file,
      `agentId: ${agentId}\nsecret: ${creds.secret}\nhub:\n  url: ${hub.mqttUrl}\ndataDir: ${join(work.dir, 'data')}\ndevices:\n  - id: host\n    kind: host\n    pollIntervalS: 1\n`,
    );
    agent = spawnSource('agent', ['run', '--config', file]);
    await waitFor('agent online', async () => {
      const res = await hub.api<{ online: boolean }>('GET', `/api/agents/${agentId}`);
      return res.body.online || undefined;
    }, 30_000);
  });

  afterAll(async () => {
    agent?.child.kill('SIGTERM');
    await agent?.exited;
    await hub?.stop();
    work.cleanup();
  });

  const version = async (v: number): Promise<ConfigVersion | undefined> => {
    const res = await hub.api<ConfigVersion>('GET', `/api/agents/${agentId}/config/versions/${v}`);
    return res.status === 200 && res.body.status !== 'pending' ? res.body : undefined;
  };

  it('shows a device added by a pushed config, without an agent restart', async () => {
    const startedBefore = (await hub.api<{ startedAt: number }>('GET', `/api/agents/${agentId}`)).body.startedAt;
    const pushed = await hub.api<ConfigVersion>('PUT', `/api/agents/${agentId}/config`, {
      devices: [
        { id: 'host', kind: 'host', pollIntervalS: 1 },
        { id: 'site-pc-2', kind: 'host', name: 'Second view of the site PC', pollIntervalS: 1 },
      ],
    });
    expect(pushed.status).toBe(202);
    expect(pushed.body).toMatchObject({ version: 1, status: 'pending' });
    const applied = await waitFor('config v1 applied', () => version(1), 20_000);
    expect(applied.status).toBe('applied');
    const device = await waitFor('site-pc-2 readings', async () => {
      const res = await hub.api<{ items: { deviceId: string; latest: unknown[] }[] }>('GET', `/api/devices?agentId=${agentId}`);
      return res.body.items.find((d) => d.deviceId === 'site-pc-2' && d.latest.length > 0);
    }, 20_000);
    expect(device.deviceId).toBe('site-pc-2');
    const now = (await hub.api<{ startedAt: number; configVersion: number | null }>('GET', `/api/agents/${agentId}`)).body;
    expect(now.startedAt).toBe(startedBefore);
    const state = await hub.api<{ appliedVersion: number }>('GET', `/api/agents/${agentId}/config`);
    expect(state.body.appliedVersion).toBe(1);
    const cmd = await hub.api<{ state: string; type: string }>('GET', `/api/commands/${applied.commandId}`);
    expect(cmd.body).toMatchObject({ type: 'config', state: 'succeeded' });
  });

  it('shows a refused config with the agent’s errors and keeps the old one', async () => {
    const pushed = await hub.api<ConfigVersion>('PUT', `/api/agents/${agentId}/config`, {
      devices: [{ id: 'host', kind: 'host', options: { mounts: ['not-absolute'] } }, { id: 'ctl', kind: 'warp-drive' }],
    });
    expect(pushed.status).toBe(202);
    const refused = await waitFor('config v2 answered', () => version(2), 20_000);
    expect(refused.status).toBe('rejected');
    expect(refused.errors?.join('\n')).toMatch(/devices\.0\.options\.mounts/);
    expect(refused.errors?.join('\n')).toMatch(/warp-drive/);
    const state = await hub.api<{ appliedVersion: number }>('GET', `/api/agents/${agentId}/config`);
    expect(state.body.appliedVersion).toBe(1);
  });

  it('refuses a body that breaks the schema before anything is sent', async () => {
    const res = await hub.api<{ error: { code: string } }>('PUT', `/api/agents/${agentId}/config`, { devices: [{ kind: 'host' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
  });
});
