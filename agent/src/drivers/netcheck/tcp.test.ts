import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startTcpServer, type LoopbackServer } from './test-utils/servers.js';
import { netcheckDriver, readingOf } from './test-utils/driver.js';

const signal = (): AbortSignal => AbortSignal.timeout(5000);

describe('netcheck tcp targets on loopback', () => {
  const servers: LoopbackServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('reports a listening port reachable with its connect latency', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const driver = netcheckDriver({ targets: [{ name: 'gateway', type: 'tcp', host: '127.0.0.1', port: server.port }] });
    const gateway = readingOf(await driver.poll(signal()), 'gateway');
    expect(gateway).toMatchObject({ device: 'net', component: 'gateway', state: 'ok', metrics: { reachable: true } });
    expect(gateway.metrics.latencyMs).toBeGreaterThanOrEqual(0);
    expect(gateway.metrics.error).toBeUndefined();
    await expect(server.drained()).resolves.toBeUndefined(); // the check hung up
  });

  it('reports a refused connection as a fault with the ECONNREFUSED code', async () => {
    const port = await closedPort();
    const driver = netcheckDriver({ targets: [{ name: 'gateway', type: 'tcp', host: '127.0.0.1', port }] });
    const gateway = readingOf(await driver.poll(signal()), 'gateway');
    expect(gateway.state).toBe('fault');
    expect(gateway.metrics).toEqual({ reachable: false, error: 'ECONNREFUSED' });
  });
});
