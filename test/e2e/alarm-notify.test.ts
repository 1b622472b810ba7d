import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSiteConfig } from '../../agent/src/simulate/site-config.js';
import { type RunningSite, startSite } from '../../agent/src/simulate/site.js';
import { verifyWebhookSignature } from '../../hub/src/notify/signature.js';
import { type TestSmtpServer, startSmtpServer } from '../../hub/src/notify/test-servers.js';
import { type TestHub, provisionAgent, startTestHub } from '../support/hub.js';
import { type Spawned, spawnSource } from '../support/processes.js';
import { tempDir, waitFor } from '../support/services.js';

interface Alarm {
  id: number;
  type: string;
  deviceId: string;
  state: string;
  severity: string;
}

const SECRET = 'webhook-shared-secret-0123456789';

describe('a fault on a simulated card: alarm, ticket, email and signed webhook, then clear; agent killed', () => {
  let hub: TestHub;
  let site: RunningSite;
  let agent: Spawned;
  let agentId: string;
  let smtp: TestSmtpServer;
  let receiver: Server;
  const hooks: { headers: IncomingHttpHeaders; body: string }[] = [];
  const work = tempDir('e2e-alarms');

  const alarms = async (query = ''): Promise<Alarm[]> => (await hub.api<{ items: Alarm[] }>('GET', `/api/alarms?agentId=${agentId}${query}`)).body.items;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hub = await startTestHub({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'ledwatch <hub@example.test>' } });
    const creds = await provisionAgent(hub, 'alarm-site');
    agentId = creds.agentId;
    const contact = await hub.api<{ id: string }>('POST', '/api/contacts', { customerId: creds.customerId, name: 'Site manager', email: 'manager@customer.test' });
    expect(contact.status).toBe(201);
    const sub = await hub.api('POST', '/api/notify/subscriptions', { target: { contactId: contact.body.id }, minSeverity: 'risk', events: ['alarm.*'] });
    expect(sub.status).toBe(201);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ledwatch`;
    const hook = await hub.api<{ id: string }>('POST', '/api/notify/webhooks', { name: 'ops', url, secret: SECRET });
    expect(hook.status).toBe(201);
    expect((await hub.api('POST', '/api/notify/subscriptions', { target: { webhookId: hook.body.id }, minSeverity: 'risk', events: ['alarm.*'] })).status).toBe(201);

    site = await startSite(resolveSiteConfig({ controllers: [{ id: 'ctrl-1', ports: 1, cardsPerPort: 2 }], pollIntervalS: 1 }));
    const file = join(work.dir, 'agent.yaml');
    writeFileSync(file, stringify({ agentId, secret: creds.secret, hub: { url: hub.mqttUrl, keepaliveS: 5 }, dataDir: join(work.dir, 'data'), devices: site.devices }));
    agent = spawnSource('agent', ['run', '--config', file]);
    await waitFor('both cards reporting', async () => {
      const res = await hub.api<{ items: { parent: string | null; latest: unknown[] }[] }>('GET', `/api/devices?agentId=${agentId}`);
      return res.body.items.filter((d) => d.parent === 'ctrl-1' && d.latest.length > 0).length === 2 || undefined;
    }, 60_000, 250);
  });

  afterAll(async () => {
    if (agent?.child.exitCode === null) agent.child.kill('SIGKILL');
    await site?.close();
    await hub?.stop();
    await smtp?.close();
    receiver?.close();
    work.cleanup();
  });

  it('opens exactly one alarm for an over-temperature card, mails the contact and signs the webhook', async () => {
    expect(await alarms('&state=open')).toEqual([]);
    site.inject({ device: 'ctrl-1', fault: { kind: 'card-over-temperature', port: 0, card: 1 } });
    const open = await waitFor('the alarm', async () => {
      const list = await alarms('&state=open');
      return list.length > 0 ? list : undefined;
    }, 20_000, 250);
    await new Promise((r) => setTimeout(r, 2500)); // more readings of the hot card arrive meanwhile
    const still = await alarms('&state=open');
    expect(still).toHaveLength(1);
    expect(still[0]).toMatchObject({ type: 'card-over-temperature', deviceId: 'ctrl-1/p0/c1', severity: 'fault', state: 'active' });
    expect(open[0]?.id).toBe(still[0]?.id);

    const mail = await waitFor('the email', () => smtp.mails.find((m) => m.to.includes('manager@customer.test')), 20_000, 200);
    expect(mail.headers.subject).toMatch(/card-over-temperature/);
    expect(mail.body).toMatch(/ctrl-1\/p0\/c1/);
    const hook = await waitFor('the webhook', () => hooks.find((h) => h.headers['x-ledwatch-event'] === 'alarm.raised'), 20_000, 200);
    const ts = hook.headers['x-ledwatch-timestamp'] as string;
    const sig = hook.headers['x-ledwatch-signature'] as string;
    expect(verifyWebhookSignature(SECRET, ts, hook.body, sig)).toBe(true);
    expect(verifyWebhookSignature(SECRET, ts, hook.body.replace('card', 'cord'), sig)).toBe(false);
    expect(JSON.parse(hook.body)).toMatchObject({ data: { alarm: { type: 'card-over-temperature' } } });
    const tickets = await waitFor('the ticket', async () => {
      const list = (await hub.api<{ items: { faultType: string; state: string }[] }>('GET', '/api/tickets')).body.items;
      return list.length > 0 ? list : undefined;
    });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ faultType: 'card-over-temperature', state: 'new' });
  });

  it('clears the alarm when the card cools down', async () => {
    site.clear({ device: 'ctrl-1', fault: { kind: 'card-over-temperature', port: 0, card: 1 } });
    await waitFor('cleared', async () => ((await alarms('&state=open')).length === 0 ? true : undefined), 20_000, 250);
    const all = await alarms();
    expect(all.filter((a) => a.type === 'card-over-temperature').map((a) => a.state)).toEqual(['cleared']);
    const ticket = await waitFor('the ticket marked fault cleared', async () => {
      const list = (await hub.api<{ items: { faultClearedAt: number | null }[] }>('GET', '/api/tickets')).body.items;
      return list[0]?.faultClearedAt ? list[0] : undefined;
    });
    expect(ticket.faultClearedAt).toBeGreaterThan(0);
  });

  it('raises one agent-offline alarm and no per-device alarms when the agent is killed', async () => {
    agent.child.kill('SIGKILL');
    const open = await waitFor('agent offline alarm', async () => {
      const list = await alarms('&state=open');
      return list.some((a) => a.type === 'agent-offline') ? list : undefined;
    }, 30_000, 250);
    await new Promise((r) => setTimeout(r, 2000));
    const after = await alarms('&state=open');
    expect(after.map((a) => a.type)).toEqual(['agent-offline']);
    expect(open.map((a) => a.type)).toEqual(['agent-offline']);
  });
});
