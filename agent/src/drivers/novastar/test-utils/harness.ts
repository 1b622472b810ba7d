/** Test helpers: a NovaStar driver against a simulator, over loopback TCP or a fake transport. */
import { novastar } from '@ledwatch/protocols';
import { silentLogger } from '../../../log.js';
import { startNovaStarTcpSimulator, type NovaStarTcpSimulator } from '../../../simulators/novastar/tcp.js';
import { FakeTransport } from '../../../transport/test-utils/fake-transport.js';
import type { Reading } from '../../types.js';
import { NovaStarDriver } from '../driver.js';
import type { NovaStarOptions } from '../options.js';
import { resolveNovaStarOptions } from '../probe.js';

export const DEVICE_ID = 'ctrl-1';

export function options(raw: Record<string, unknown>): NovaStarOptions {
  return resolveNovaStarOptions(raw);
}

export function createNovaStarDriver(raw: Record<string, unknown>, transport?: (baudRate: number | undefined) => FakeTransport): NovaStarDriver {
  const ctx = { device: { id: DEVICE_ID, kind: 'novastar', pollIntervalS: 10 }, options: options(raw), log: silentLogger(), now: Date.now };
  return new NovaStarDriver(ctx, transport === undefined ? {} : { transport });
}

export interface TcpRig {
  readonly server: NovaStarTcpSimulator;
  readonly sim: novastar.NovaStarSimulator;
  readonly driver: NovaStarDriver;
  poll(): Promise<Reading[]>;
  close(): Promise<void>;
}

/** A simulator on a free loopback port and a driver polling it. */
export async function tcpRig(extra: Record<string, unknown> = {}, sim?: novastar.NovaStarSimulator): Promise<TcpRig> {
  const server = await startNovaStarTcpSimulator(sim === undefined ? {} : { sim });
  const driver = createNovaStarDriver({ transport: 'tcp', host: server.host, port: server.port, reconnectMinMs: 0, reconnectMaxMs: 0, ...extra });
  return {
    server,
    sim: server.sim,
    driver,
    poll: () => driver.poll(AbortSignal.timeout(5000)),
    close: async () => {
      await driver.close();
      await server.close();
    },
  };
}

/** A fake link whose device is the simulator: every write is answered at once. */
export function simulatorLink(sim: novastar.NovaStarSimulator): FakeTransport {
  return new FakeTransport({ description: 'fake simulator link', respond: (bytes) => sim.handleBytes(bytes) });
}

export function byDevice(readings: readonly Reading[], device: string): Reading {
  const reading = readings.find((r) => r.device === device);
  if (reading === undefined) throw new Error(`no reading for ${device}; got ${readings.map((r) => r.device).join(', ')}`);
  return reading;
}
