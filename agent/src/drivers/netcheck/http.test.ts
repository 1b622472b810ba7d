import { afterEach, describe, expect, it } from 'vitest';
import { netcheckDriver, readingOf } from './test-utils/driver.js';
import { startHttpServer, type HttpTestServer } from './test-utils/servers.js';

const signal = (): AbortSignal => AbortSignal.timeout(5000);

describe('netcheck http targets on loopback', () => {
  const servers: HttpTestServer[] = [];
  const serve = async (): Promise<HttpTestServer> => {
    const server = await startHttpServer();
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('reports a 200 answer ok with its status and latency', async () => {
    const server = await serve();
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms).toMatchObject({ component: 'cms', state: 'ok', metrics: { reachable: true, statusCode: 200 } });
    expect(cms.metrics.latencyMs).toBeGreaterThanOrEqual(0);
    expect(cms.metrics.certDaysLeft).toBeUndefined();
  });

  it('reports a 500 answer as a reachable fault with an unexpected-status error', async () => {
    const server = await serve();
    server.status = 500;
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('fault');
    expect(cms.metrics).toMatchObject({ reachable: true, statusCode: 500, error: 'unexpected-status' });
  });

  it('accepts exactly the statuses named by expectStatus', async () => {
    const server = await serve();
    server.status = 503;
    const driver = netcheckDriver({
      targets: [
        { name: 'single', type: 'http', url: server.url, expectStatus: 503 },
        { name: 'list', type: 'http', url: server.url, expectStatus: [200, 503] },
        { name: 'ranges', type: 'http', url: server.url, expectStatus: '200-299, 500-502' },
      ],
    });
    const readings = await driver.poll(signal());
    expect(['single', 'list', 'ranges'].map((n) => readingOf(readings, n).state)).toEqual(['ok', 'ok', 'fault']);
  });

  it('sends HEAD when asked', async () => {
    const server = await serve();
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, method: 'HEAD' }] });
    expect(readingOf(await driver.poll(signal()), 'cms').metrics.statusCode).toBe(200);
    expect(server.requests).toEqual(['HEAD /health']);
  });

  it('gives an unreachable timeout reading within timeoutMs when the server never answers', async () => {
    const server = await serve();
    server.silence();
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, timeoutMs: 200 }] });
    const started = performance.now();
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(performance.now() - started).toBeLessThan(200 + 250);
    expect(cms.state).toBe('unreachable');
    expect(cms.metrics).toEqual({ reachable: false, error: 'timeout' });
    await expect(server.drained()).resolves.toBeUndefined();
  });

  it('warns when the answer is slower than warnLatencyMs', async () => {
    const server = await serve();
    server.delayMs = 60;
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, warnLatencyMs: 20 }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('warn');
    expect(cms.metrics.latencyMs).toBeGreaterThanOrEqual(50);
  });
});
