import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from './app.js';
import { bearer, createTestApp, type TestApp } from './test-utils/app.js';
import { createTestContext, type TestContext } from './test-utils/context.js';
import { seedFixture } from './test-utils/fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function testApp(opts: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  const t = await createTestApp(opts);
  cleanups.push(() => t.cleanup());
  return t;
}

describe('buildApp over a real socket', () => {
  test('serves the API over TCP: public health, 401 without a token, data with one', async () => {
    const t = await testApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const base = `http://127.0.0.1:${address.port}`;

    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const anonymous = await fetch(`${base}/api/sites`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/json/);

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: t.fx.engineer.email, password: t.fx.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const provision = await fetch(`${base}/api/agents`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'socket wall', siteId: t.fx.customers[0].siteId }),
    });
    expect(provision.status).toBe(201);
    const malformed = await fetch(`${base}/api/customers`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: '{"name":' });
    expect(malformed.status).toBe(400);
  });

  test('serves the dashboards folder at / with index.html and no redirect', async () => {
    const ctx = await createTestContext();
    cleanups.push(() => ctx.cleanup());
    const dir = join(ctx.dir, 'dashboards');
    await mkdir(join(dir, 'assets'), { recursive: true });
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>ledwatch</title>');
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    const app = await buildApp(ctx, { dashboardsDir: dir });
    cleanups.push(() => app.close());

    const root = await app.inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toMatch(/text\/html/);
    expect(root.body).toContain('<title>ledwatch</title>');
    expect((await app.inject({ url: '/assets/app.js' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/sites' })).statusCode).toBe(401);
    const unknownApi = await app.inject({ url: '/api/nope' });
    expect(unknownApi.statusCode).toBe(401);
  });

  test('serves HTTPS when given a certificate and key', async () => {
    const ctx = await createTestContext();
    cleanups.push(() => ctx.cleanup());
    const cert = join(ctx.dir, 'cert.pem');
    const key = join(ctx.dir, 'key.pem');
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert]);
    const app = await buildApp(ctx, { https: { cert: await readFile(cert), key: await readFile(key) } });
    cleanups.push(() => app.close());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const ca = await readFile(cert);
    const body = await new Promise<string>((resolve, reject) => {
      const r = httpsRequest({ host: '127.0.0.1', port: address.port, path: '/api/health', ca, servername: 'localhost', checkServerIdentity: () => undefined }, (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve(data));
      });
      r.on('error', reject);
      r.end();
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'ok' });
  });
});

describe('request logging', () => {
  test('never writes bearer tokens or passwords to the log', async () => {
    const base = await createTestContext();
    cleanups.push(() => base.cleanup());
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const ctx: TestContext = { ...base, log: pino({ level: 'trace' }, sink) };
    const fx = await seedFixture(ctx);
    const app = await buildApp(ctx);
    cleanups.push(() => app.close());
    await app.inject({ url: '/api/sites', headers: bearer(fx.admin.token) });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.engineer.email, password: fx.password } });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: fx.engineer.email, password: 'wrong-password-here' } });
    app.log.info({ headers: { authorization: 'Bearer lwt_logged-by-mistake' } }, 'a careless log line');
    const log = lines.join('');
    expect(log).toContain('a careless log line');
    expect(log).not.toContain('lwt_logged-by-mistake');
    expect(log).toContain('incoming request');
    expect(log).not.toContain(fx.admin.token);
    expect(log).not.toContain(fx.password);
    expect(log).not.toContain('wrong-password-here');
  });
});

describe('behind a reverse proxy', () => {
  test('with trustProxy the forwarded client address is what the audit log records', async () => {
    const t = await testApp({ config: { http: { trustProxy: true } } });
    await t.app.inject({ method: 'POST', url: '/api/customers', headers: { ...bearer(t.fx.engineer.token), 'x-forwarded-for': '203.0.113.9' }, payload: { name: 'Proxied' } });
    const row = await t.ctx.state.db.selectFrom('audit_log').select('ip').executeTakeFirstOrThrow();
    expect(row.ip).toBe('203.0.113.9');
  });
});
