/**
 * The link over TLS (mqtts://, trusting the CA from hub.ca) and over WebSocket (ws://, the
 * same code path as wss://). The broker certificate is a self-signed one for 127.0.0.1
 * that openssl makes for this run (no key material lives in the repository).
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { Link } from './link.js';
import { tempDir } from './test-utils/fixtures.js';
import { closeOutboxes, connected, testLink } from './test-utils/link.js';

let CERT = '';
let KEY = '';
let certDir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  certDir = await tempDir();
  CERT = join(certDir.path, 'broker.cert.pem');
  KEY = join(certDir.path, 'broker.key.pem');
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=ledwatch test broker', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout', KEY, '-out', CERT,
  ], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make a test certificate (apt-get install openssl): ${r.stderr}`);
});

afterAll(async () => {
  await certDir.remove();
});

let aedes: Aedes;
let dir: Awaited<ReturnType<typeof tempDir>>;
let link: Link | undefined;
let server: TlsServer | HttpServer | undefined;
let wss: WebSocketServer | undefined;
const published: string[] = [];
let refusedHandshakes = 0;

beforeEach(async () => {
  aedes = await Aedes.createBroker();
  aedes.on('publish', (packet, client) => {
    if (client) published.push(packet.topic);
  });
  dir = await tempDir();
});

afterEach(async () => {
  await link?.stop();
  await closeOutboxes();
  link = undefined;
  wss?.close();
  wss = undefined;
  if (server) await new Promise((r) => server?.close(r));
  server = undefined;
  await new Promise<void>((r) => aedes.close(() => r()));
  await dir.remove();
  published.length = 0;
  refusedHandshakes = 0;
});

async function listen(s: TlsServer | HttpServer): Promise<number> {
  server = s;
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return (s.address() as AddressInfo).port;
}

async function tlsBroker(): Promise<number> {
  const [key, cert] = await Promise.all([readFile(KEY), readFile(CERT)]);
  const tls = createTlsServer({ key, cert }, (socket) => aedes.handle(socket));
  tls.on('tlsClientError', () => refusedHandshakes++);
  return listen(tls);
}

describe('Link transports', () => {
  it('connects over mqtts:// when it trusts the broker through the configured CA', async () => {
    const port = await tlsBroker();
    link = await testLink(`mqtts://127.0.0.1:${port}`, dir.path, { ca: await readFile(CERT) });
    await connected(link);
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toEqual(expect.arrayContaining(['ledwatch/v1/site-1/status', 'ledwatch/v1/site-1/inventory']));
  });

  it('refuses a broker whose certificate it cannot verify, and keeps retrying', async () => {
    const port = await tlsBroker();
    link = await testLink(`mqtts://127.0.0.1:${port}`, dir.path, { reconnectMinMs: 20, reconnectMaxMs: 40 });
    link.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(link.connected).toBe(false);
    expect(link.stats().connects).toBe(0);
    expect(published).toEqual([]);
    expect(refusedHandshakes).toBeGreaterThanOrEqual(2);
  });

  it('connects over ws://, the WebSocket path wss:// also takes', async () => {
    const http = createHttpServer();
    wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws) => aedes.handle(createWebSocketStream(ws)));
    const port = await listen(http);
    link = await testLink(`ws://127.0.0.1:${port}/mqtt`, dir.path);
    await connected(link);
    await new Promise((r) => setTimeout(r, 50));
    expect(published).toContain('ledwatch/v1/site-1/status');
  });
});
