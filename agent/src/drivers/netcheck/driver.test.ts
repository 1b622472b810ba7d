import { validatePayload } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { DEVICE_ID, netcheckDriver, readingOf } from './test-utils/driver.js';
import { closedPort, startHttpServer, startTcpServer, type LoopbackServer } from './test-utils/servers.js';

const signal = (): AbortSignal => AbortSignal.timeout(5000);

describe('netcheck driver', () => {
  const servers: LoopbackServer[] = [];
  const keep = <S extends LoopbackServer>(s: S): S => (servers.push(s), s);
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('leads with a device reading that counts the targets down, then one reading per target', async () => {
    const web = keep(await startHttpServer());
    const tcp = keep(await startTcpServer());
    const driver = netcheckDriver({
      targets: [
        { name: 'cms', type: 'http', url: web.url },
        { name: 'gateway', type: 'tcp', host: '127.0.0.1', port: tcp.port },
        { name: 'player', type: 'tcp', host: '127.0.0.1', port: await closedPort() },
      ],
    });
    const readings = await driver.poll(signal());
    expect(readings.map((r) => [r.component, r.state])).toEqual([
      [undefined, 'fault'],
      ['cms', 'ok'],
      ['gateway', 'ok'],
      ['player', 'fault'],
    ]);
    expect(readings[0]).toMatchObject({ device: DEVICE_ID, metrics: { targets: 3, targetsDown: 1, targetsWarn: 0 } });
    expect(() => validatePayload('telemetry', { seq: 1, readings })).not.toThrow();
  });

  it('lists the kinds of check it uses in its inventory', async () => {
    const driver = netcheckDriver({ targets: [{ name: 'gateway', type: 'tcp', host: '127.0.0.1', port: 1 }] });
    expect(await driver.inventory()).toEqual([{ id: DEVICE_ID, kind: 'netcheck', name: 'network checks', capabilities: ['tcp'] }]);
  });

  it('checks no more targets at once than its concurrency', async () => {
    const web = keep(await startHttpServer());
    web.silence();
    const targets = ['a', 'b', 'c', 'd'].map((name) => ({ name, type: 'http', url: web.url, timeoutMs: 100 }));
    const started = performance.now();
    const readings = await netcheckDriver({ targets, concurrency: 2 }).poll(signal());
    expect(performance.now() - started).toBeGreaterThanOrEqual(190); // two rounds of two timeouts
    expect(web.requests).toHaveLength(4);
    expect(readings.slice(1).map((r) => r.state)).toEqual(['unreachable', 'unreachable', 'unreachable', 'unreachable']);
  });

  it('stops promptly and hangs up when the poll is aborted mid-check', async () => {
    const web = keep(await startHttpServer());
    web.silence();
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: web.url, timeoutMs: 10_000 }] });
    const ctrl = new AbortController();
    const started = performance.now();
    const polling = driver.poll(ctrl.signal);
    setTimeout(() => ctrl.abort(new Error('poll timed out')), 50);
    await expect(polling).rejects.toThrow(/poll timed out/);
    expect(performance.now() - started).toBeLessThan(300);
    await expect(web.drained(500)).resolves.toBeUndefined();
  });

  it('aborts a poll in flight when closed, and refuses to poll afterwards', async () => {
    const web = keep(await startHttpServer());
    web.silence();
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: web.url, timeoutMs: 10_000 }] });
    const polling = driver.poll(signal());
    await new Promise((r) => setTimeout(r, 30));
    await driver.close();
    await expect(polling).rejects.toMatchObject({ code: 'driver-closed' });
    await expect(driver.poll(signal())).rejects.toMatchObject({ code: 'driver-closed' });
    await expect(web.drained(500)).resolves.toBeUndefined();
  });

  it('reads the target time from the site clock', async () => {
    const tcp = keep(await startTcpServer());
    const driver = netcheckDriver({ targets: [{ name: 'gateway', type: 'tcp', host: '127.0.0.1', port: tcp.port }] }, { now: () => 1_750_000_000_000 });
    expect(readingOf(await driver.poll(signal()), 'gateway').at).toBe(1_750_000_000_000);
  });
});
