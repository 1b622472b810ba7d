import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCert, type TestCert } from '../drivers/netcheck/test-utils/certs.js';
import { collectFacts, hubEndpoint, type InspectSources } from './collect.js';
import { nodeInspectEnv } from './env.js';
import { nodeNetProbes } from './net-probes.js';

describe('network probes of the configured targets', () => {
  let cert: TestCert;
  let tls: Server;
  let tlsPort: number;

  beforeAll(async () => {
    cert = makeCert(5);
    tls = createServer({ cert: cert.cert, key: cert.key }, (s) => s.end());
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsPort = (tls.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => tls.close(resolve));
    cert.remove();
  });

  it('reads the expiry of the certificate the hub link presents (mqtts)', async () => {
    const src: InspectSources = { devices: [], configVersion: 0, inventory: [], readings: new Map(), agentVersion: '0.1.0', dataDir: '/nonexistent', hubUrl: `mqtts://127.0.0.1:${tlsPort}` };
    const facts = await collectFacts({}, src, nodeInspectEnv());
    const days = ((facts.security.hubCertificate?.notAfter ?? 0) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4);
    expect(days).toBeLessThan(6);
    expect(facts.security.hubCertificate?.subject).toBe('CN=localhost');
    expect(facts.network.targets).toContainEqual(expect.objectContaining({ role: 'hub', host: '127.0.0.1', port: tlsPort, reachable: true }));
  });

  it('counts a DNS server as reachable when it answers the query', async () => {
    const dns = createSocket('udp4');
    dns.on('message', (msg, rinfo) => {
      const answer = Buffer.from(msg);
      answer[2] = 0x81; // response, recursion desired
      answer[3] = 0x85; // REFUSED: still an answer
      dns.send(answer, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => dns.bind(0, '127.0.0.1', resolve));
    const port = (dns.address() as AddressInfo).port;
    try {
      expect(await nodeNetProbes.dns('127.0.0.1', port, 1000)).toMatchObject({ ok: true });
    } finally {
      dns.close();
    }
    expect(await nodeNetProbes.dns('127.0.0.1', port, 300)).toMatchObject({ ok: false });
  });

  it('reads the hub endpoint from the agent’s broker URL', () => {
    expect(hubEndpoint('mqtts://hub.example')).toEqual({ host: 'hub.example', port: 8883, tls: true });
    expect(hubEndpoint('mqtt://[::1]:1884')).toEqual({ host: '::1', port: 1884, tls: false });
    expect(hubEndpoint('not a url')).toBeUndefined();
  });
});
