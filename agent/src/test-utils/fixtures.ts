/** Test fixtures: temp folders, a resolved agent config, a scriptable fake driver. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from 'typebox';
import { resolveAgentConfig, type AgentConfig } from '../config.js';
import { DriverRegistry } from '../drivers/registry.js';
import type { Driver, DriverFactory, Reading } from '../drivers/types.js';

export async function tempDir(prefix = 'ledwatch-agent-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A driver whose readings count its polls: `{ polls: n }`. */
export function countingDriverFactory(): DriverFactory {
  return {
    kind: 'fake',
    optionsSchema: Type.Object({}, { additionalProperties: true }),
    create: (ctx): Driver => {
      let polls = 0;
      return {
        inventory: () => Promise.resolve([{ id: ctx.device.id, kind: 'fake', model: 'Fake 1', capabilities: ['count'] }]),
        poll: (): Promise<Reading[]> => Promise.resolve([{ device: ctx.device.id, at: ctx.now(), metrics: { polls: ++polls }, state: 'ok' }]),
        close: () => Promise.resolve(),
      };
    },
  };
}

export function fakeRegistry(): DriverRegistry {
  return new DriverRegistry().register(countingDriverFactory());
}

export function testConfig(url: string, dataDir: string, agentId = 'site-1'): AgentConfig {
  return resolveAgentConfig(
    {
      agentId,
      secret: 'test-secret-value',
      hub: { url, reconnectMinMs: 50, reconnectMaxMs: 300, keepaliveS: 5 },
      dataDir,
      devices: [{ id: 'fake-1', kind: 'fake', pollIntervalS: 1 }],
    },
    { registry: fakeRegistry() },
  );
}
