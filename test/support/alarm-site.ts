/**
 * The setup of the alarm end-to-end tests: a real hub, a real SMTP server (`smtp-server`)
 * and webhook receiver, a contact and a webhook subscribed to alarms and tickets, the
 * simulated site (one NovaStar controller with two receiving cards) and a real agent
 * process reporting it every second.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveSiteConfig } from '../../agent/src/simulate/site-config.js';
import { type RunningSite, startSite } from '../../agent/src/simulate/site.js';
import { type TestSmtpServer, startSmtpServer } from '../../hub/src/notify/test-servers.js';
import { type TestHub, provisionAgent, startTestHub, writeAgentConfig } from './hub.js';
import { type Spawned, spawnSource } from './processes.js';
import { tempDir, waitFor } from './services.js';

export interface SiteAlarm {
  id: number;
  type: string;
  deviceId: string;
  state: string;
  severity: string;
  count: number;
  flapping: boolean;
}

export interface SiteTicket {
  id: number;
  number: string;
  faultType: string;
  deviceId: string | null;
  state: string;
  severity: string;
  recurring: boolean;
  recurringCount: number | null;
  escalated: boolean;
  faultClearedAt: number | null;
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export const WEBHOOK_SECRET = 'webhook-shared-secret-0123456789';
export const CONTACT_EMAIL = 'manager@customer.test';
/** The card the tests heat up. */
export const HOT_CARD = { device: 'ctrl-1', fault: { kind: 'card-over-temperature', port: 0, card: 1 } } as const;

export interface AlarmSite {
  /** The current hub (replaced by restartHub). */
  hub: TestHub;
  site: RunningSite;
  agent: Spawned;
  agentId: string;
  customerId: string;
  smtp: TestSmtpServer;
  hooks: ReceivedWebhook[];
  /** This agent's alarms; `query` is appended, e.g. '&state=open'. */
  alarms(query?: string): Promise<SiteAlarm[]>;
  tickets(): Promise<SiteTicket[]>;
  /** Waits until the alarms matching `query` satisfy `done`, and returns them. */
  waitAlarms(what: string, query: string, done: (list: SiteAlarm[]) => boolean, timeoutMs?: number): Promise<SiteAlarm[]>;
  /** Graceful hub restart on the same data dir and ports; the agent reconnects by itself. */
  restartHub(): Promise<void>;
  close(): Promise<void>;
}

export async function startAlarmSite(name: string, hubOverrides: Record<string, unknown> = {}): Promise<AlarmSite> {
  const work = tempDir(`e2e-${name}`);
  const hooks: ReceivedWebhook[] = [];
  const smtp = await startSmtpServer();
  const receiver: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hub = await startTestHub({ smtp: { host: '127.0.0.1', port: smtp.port, from: 'ledwatch <hub@example.test>' }, ...hubOverrides });
  const creds = await provisionAgent(hub, name);
  const ok = (what: string, res: { status: number; body: unknown }) => {
    if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const contact = ok('contact', await hub.api('POST', '/api/contacts', { customerId: creds.customerId, name: 'Site manager', email: CONTACT_EMAIL }));
  ok('mail subscription', await hub.api('POST', '/api/notify/subscriptions', { target: { contactId: contact.id }, minSeverity: 'risk', events: ['alarm.*'] }));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ledwatch`;
  const hook = ok('webhook', await hub.api('POST', '/api/notify/webhooks', { name: 'ops', url, secret: WEBHOOK_SECRET }));
  ok('webhook subscription', await hub.api('POST', '/api/notify/subscriptions', { target: { webhookId: hook.id }, minSeverity: 'risk', events: ['alarm.*', 'ticket.*'] }));

  const site = await startSite(resolveSiteConfig({ controllers: [{ id: 'ctrl-1', ports: 1, cardsPerPort: 2 }], pollIntervalS: 1 }));
  const file = join(work.dir, 'agent.yaml');
  writeAgentConfig(file, creds, hub.mqttUrl, { hub: { keepaliveS: 5 }, dataDir: join(work.dir, 'data'), devices: site.devices });
  const agent = spawnSource('agent', ['run', '--config', file]);

  const s: AlarmSite = {
    hub,
    site,
    agent,
    agentId: creds.agentId,
    customerId: creds.customerId,
    smtp,
    hooks,
    alarms: async (query = '') => (await s.hub.api<{ items: SiteAlarm[] }>('GET', `/api/alarms?agentId=${creds.agentId}${query}`)).body.items,
    tickets: async () => (await s.hub.api<{ items: SiteTicket[] }>('GET', '/api/tickets')).body.items,
    waitAlarms: (what, query, done, timeoutMs = 20_000) =>
      waitFor(what, async () => {
        const list = await s.alarms(query);
        return done(list) ? list : undefined;
      }, timeoutMs, 250),
    async restartHub() {
      s.hub = await s.hub.restart();
    },
    async close() {
      if (agent.child.exitCode === null && agent.child.signalCode === null) {
        agent.child.kill('SIGKILL');
        await agent.exited;
      }
      await site.close();
      await s.hub.stop();
      await smtp.close();
      receiver.close();
      work.cleanup();
    },
  };
  try {
    await waitFor('both cards reporting', async () => {
      const res = await hub.api<{ items: { parent: string | null; latest: unknown[] }[] }>('GET', `/api/devices?agentId=${creds.agentId}`);
      return res.body.items.filter((d) => d.parent === 'ctrl-1' && d.latest.length > 0).length === 2 || undefined;
    }, 60_000, 250);
  } catch (err) {
    process.stderr.write(`agent output:\n${agent.output().slice(-4000)}\n`);
    await s.close();
    throw err;
  }
  return s;
}
