import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, type TestCert } from './test-utils/certs.js';
import { netcheckDriver, readingOf } from './test-utils/driver.js';
import { startHttpServer, type HttpTestServer } from './test-utils/servers.js';

const DAY_MS = 86_400_000;
const signal = (): AbortSignal => AbortSignal.timeout(5000);

describe('netcheck https targets on loopback', () => {
  let month: TestCert;
  let week: TestCert;
  beforeAll(() => {
    month = makeCert(30);
    week = makeCert(5);
  });
  afterAll(() => {
    month.remove();
    week.remove();
  });
  const servers: HttpTestServer[] = [];
  const serve = async (cert: TestCert): Promise<HttpTestServer> => {
    const server = await startHttpServer({ key: cert.key, cert: cert.cert });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  it('reports the days left and the expiry of a certificate trusted through caFile', async () => {
    const server = await serve(month);
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, caFile: month.certFile }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('ok');
    expect(cms.metrics).toMatchObject({ reachable: true, statusCode: 200, certTrusted: true, certSubject: 'localhost' });
    expect(cms.metrics.certDaysLeft).toBeGreaterThanOrEqual(29);
    expect(cms.metrics.certDaysLeft).toBeLessThanOrEqual(31);
    expect(Math.abs(Number(cms.metrics.certExpiresAt) - (Date.now() + 30 * DAY_MS))).toBeLessThan(DAY_MS);
    expect(cms.metrics.certError).toBeUndefined();
  });

  it('warns when the certificate expires within warnCertDays', async () => {
    const server = await serve(week);
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, caFile: week.certFile }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('warn');
    expect(cms.metrics.certDaysLeft).toBeGreaterThanOrEqual(4);
    expect(cms.metrics.certDaysLeft).toBeLessThanOrEqual(6);
    expect(cms.metrics.error).toBeUndefined();
  });

  it('reports an untrusted certificate as a fault, with its expiry all the same', async () => {
    const server = await serve(month);
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('fault');
    expect(cms.metrics).toMatchObject({ reachable: true, statusCode: 200, certTrusted: false, error: 'cert-untrusted' });
    expect(cms.metrics.certError).toMatch(/SELF_SIGNED/);
    expect(cms.metrics.certDaysLeft).toBeGreaterThanOrEqual(29);
  });

  it('only flags an untrusted certificate when rejectUnauthorized is false', async () => {
    const server = await serve(month);
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, rejectUnauthorized: false }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('ok');
    expect(cms.metrics.certTrusted).toBe(false);
  });

  it('reports a certificate past its end on the site clock as cert-expired', async () => {
    const server = await serve(month);
    const later = (): number => Date.now() + 31 * DAY_MS;
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, caFile: month.certFile }] }, { now: later });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('fault');
    expect(cms.metrics.error).toBe('cert-expired');
    expect(cms.metrics.certDaysLeft).toBeLessThan(0);
  });

  it('keeps the certificate in the timeout reading of a server that never answers after the handshake', async () => {
    const server = await serve(week);
    server.silence();
    const driver = netcheckDriver({ targets: [{ name: 'cms', type: 'http', url: server.url, caFile: week.certFile, timeoutMs: 300 }] });
    const cms = readingOf(await driver.poll(signal()), 'cms');
    expect(cms.state).toBe('unreachable');
    expect(cms.metrics).toMatchObject({ reachable: false, error: 'timeout', certTrusted: true });
    expect(cms.metrics.certDaysLeft).toBeGreaterThanOrEqual(4);
  });
});
