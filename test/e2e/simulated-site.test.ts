import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSiteConfig } from '../../agent/src/simulate/site-config.js';
import { type RunningSite, startSite } from '../../agent/src/simulate/site.js';
import { type TestHub, provisionAgent, startTestHub } from '../support/hub.js';
import { type Spawned, spawnSource } from '../support/processes.js';
import { tempDir, waitFor } from '../support/services.js';

interface DeviceItem {
  deviceId: string;
  kind: string;
  parent: string | null;
  state: string | null;
  latest: { component: string; metrics: Record<string, unknown>; state: string | null }[];
}

describe('agent + simulated site + hub, end to end', () => {
  let hub: TestHub;
  let site: RunningSite;
  let agent: Spawned;
  let agentId: string;
  const work = tempDir('e2e-site');

  const devices = async (): Promise<DeviceItem[]> => (await hub.api<{ items: DeviceItem[] }>('GET', `/api/devices?agentId=${agentId}`)).body.items;
  const own = (d: DeviceItem | undefined) => d?.latest.find((l) => l.component === '');

  beforeAll(async () => {
    hub = await startTestHub();
    const creds = await provisionAgent(hub, 'simulated-site');
    agentId = creds.agentId;
    site = await startSite(
      resolveSiteConfig({
        controllers: [{ id: 'ctrl-1', ports: 2, cardsPerPort: 3 }],
        modbus: [{ id: 'psu-1', profile: 'led-psu-generic' }],
        ups: [{ id: 'ups-1' }],
        pollIntervalS: 1,
      }),
    );
    // The PSU is left out at first: a pushed config adds it later.
    const initial = site.devices.filter((d) => d.id !== 'psu-1');
    const file = join(work.dir, 'agent.yaml');
    writeFileSync(
      file,
      stringify({ agentId, secret: creds.secret, hub: { url: hub.mqttUrl }, dataDir: join(work.dir, 'data'), devices: initial }),
    );
    agent = spawnSource('agent', ['run', '--config', file]);
  });

  afterAll(async () => {
    agent?.child.kill('SIGTERM');
    await agent?.exited;
    await site?.close();
    await hub?.stop();
    work.cleanup();
  });

  it('shows the controller › port › card tree with temperatures and voltages, and the UPS metrics', async () => {
    const items = await waitFor('six cards and the UPS with readings', async () => {
      const list = await devices();
      const cards = list.filter((d) => d.parent === 'ctrl-1' && own(d)?.metrics.temperatureC !== undefined);
      return cards.length === 6 && own(list.find((d) => d.deviceId === 'ups-1'))?.metrics.chargePct !== undefined ? list : undefined;
    }, 60_000, 250);
    const ids = items.filter((d) => d.parent === 'ctrl-1').map((d) => d.deviceId).sort();
    expect(ids).toEqual(['ctrl-1/p0/c0', 'ctrl-1/p0/c1', 'ctrl-1/p0/c2', 'ctrl-1/p1/c0', 'ctrl-1/p1/c1', 'ctrl-1/p1/c2']);
    for (const card of items.filter((d) => d.parent === 'ctrl-1')) {
      const m = own(card)?.metrics ?? {};
      expect(m.temperatureC, card.deviceId).toBeGreaterThan(20);
      expect(m.temperatureC, card.deviceId).toBeLessThan(60);
      expect(m.voltageV, card.deviceId).toBeGreaterThan(4.5);
    }
    expect(items.find((d) => d.deviceId === 'ctrl-1')?.kind).toBe('novastar');
    expect(own(items.find((d) => d.deviceId === 'ups-1'))?.metrics).toMatchObject({ chargePct: 100, onBattery: false });
  });

  it('shows an injected fault in the card reading', async () => {
    site.inject({ device: 'ctrl-1', fault: { kind: 'card-over-temperature', port: 1, card: 2 } });
    const card = await waitFor('the hot card', async () => {
      const c = (await devices()).find((d) => d.deviceId === 'ctrl-1/p1/c2');
      return own(c)?.metrics.temperatureC === 85 ? c : undefined;
    }, 20_000, 250);
    expect(card.state).toBe('fault');
    site.inject({ device: 'ups-1', fault: { kind: 'ups-on-battery' } });
    await waitFor('UPS on battery', async () => (own((await devices()).find((d) => d.deviceId === 'ups-1'))?.metrics.onBattery === true ? true : undefined), 20_000, 250);
  });

  it('adds the PSU through a pushed config without an agent restart, and refuses a bad one', async () => {
    const current = site.devices.filter((d) => d.id !== 'psu-1');
    const psu = site.devices.find((d) => d.id === 'psu-1');
    const pushed = await hub.api<{ version: number }>('PUT', `/api/agents/${agentId}/config`, { devices: [...current, psu] });
    expect(pushed.status).toBe(202);
    const psuItem = await waitFor('PSU readings', async () => {
      const d = (await devices()).find((x) => x.deviceId === 'psu-1');
      return own(d)?.metrics.outputVoltageV !== undefined ? d : undefined;
    }, 30_000, 250);
    expect(own(psuItem)?.metrics.outputVoltageV).toBeCloseTo(5, 1);

    const bad = await hub.api<{ version: number }>('PUT', `/api/agents/${agentId}/config`, {
      devices: [...current, { id: 'ctrl-9', kind: 'novastar', options: { transport: 'serial' } }],
    });
    const refused = await waitFor('refusal', async () => {
      const v = await hub.api<{ status: string; errors: string[] | null }>('GET', `/api/agents/${agentId}/config/versions/${bad.body.version}`);
      return v.body.status === 'rejected' ? v.body : undefined;
    }, 20_000, 250);
    expect(refused.errors?.join('\n')).toMatch(/devices\.2\.options.*path/);
    const state = await hub.api<{ appliedVersion: number }>('GET', `/api/agents/${agentId}/config`);
    expect(state.body.appliedVersion).toBe(pushed.body.version);
  });
});
