/**
 * A real hub for end-to-end tests: free loopback ports, its own temp data dir, an admin
 * token, and small helpers to call its API.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpReq } from 'node:http';
import { request as httpsReq } from 'node:https';
import { createAdmin } from '../../hub/src/auth/admin.js';
import { type HubConfig, loadHubConfig } from '../../hub/src/config.js';
import { type RunningHub, startHub } from '../../hub/src/hub.js';
import { stringify } from 'yaml';
import { tempDir } from './services.js';

export interface TestHub extends RunningHub {
  adminToken: string;
  dir: string;
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: T }>;
  /**
   * Closes this hub (gracefully, the data dir kept) and starts a new one on the same data
   * dir and the same HTTP and MQTT ports, so agents reconnect to it. Use the returned hub.
   */
  restart(): Promise<TestHub>;
  stop(): Promise<void>;
}

export async function startTestHub(overrides: Record<string, unknown> = {}): Promise<TestHub> {
  const { dir, cleanup } = tempDir('hub');
  const config = loadHubConfig({
    env: { LEDWATCH_LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    overrides: {
      http: { host: '127.0.0.1', port: 0 },
      mqtt: { host: '127.0.0.1', port: 0, tlsPort: 0 },
      data: { dir },
      ...overrides,
    },
  });
  const hub = await startHub(config);
  const { token: adminToken } = await createAdmin(hub.ctx.state, { email: 'admin@example.test' });
  return asTestHub(hub, config, { dir, cleanup, adminToken });
}

function asTestHub(hub: RunningHub, config: HubConfig, o: { dir: string; cleanup(): void; adminToken: string }): TestHub {
  const { adminToken } = o;
  const ca = typeof config.tls.cert === 'string' ? readFileSync(config.tls.cert) : undefined;
  const api = async <T>(method: string, path: string, body?: unknown, token = adminToken) => {
    const res = await httpRequest(`${hub.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(ca ? { ca } : {}),
    });
    const text = res.text;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON (metrics, html) */
    }
    return { status: res.status, body: parsed as T };
  };
  return {
    ...hub,
    adminToken,
    dir: o.dir,
    api,
    async restart() {
      const httpPort = Number(new URL(hub.url).port);
      const mqttPort = Number(new URL(hub.mqttUrl).port);
      await hub.close();
      const next = await startHub({ ...config, http: { ...config.http, port: httpPort }, mqtt: { ...config.mqtt, port: mqttPort } });
      return asTestHub(next, config, o);
    },
    async stop() {
      await hub.close();
      o.cleanup();
    },
  };
}

/** Creates a customer and a site, provisions an agent there, returns its credentials. */
export async function provisionAgent(hub: TestHub, name = 'site-agent'): Promise<{ agentId: string; secret: string; siteId: string; customerId: string }> {
  const customer = await hub.api<{ id: string }>('POST', '/api/customers', { name: `Customer of ${name}` });
  if (customer.status !== 201) throw new Error(`create customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const site = await hub.api<{ id: string }>('POST', '/api/sites', { customerId: customer.body.id, name: `Site of ${name}` });
  if (site.status !== 201) throw new Error(`create site: ${site.status} ${JSON.stringify(site.body)}`);
  const agent = await hub.api<{ agentId: string; secret: string }>('POST', '/api/agents', { name, siteId: site.body.id });
  if (agent.status !== 201) throw new Error(`provision agent: ${agent.status} ${JSON.stringify(agent.body)}`);
  return { ...agent.body, siteId: site.body.id, customerId: customer.body.id };
}

/** Minimal HTTP(S) client that accepts a private CA (fetch cannot without undici). */
export function httpRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsReq : httpReq;
  return new Promise((resolve, reject) => {
    const req = request(u, { method: opts.method ?? 'GET', headers: opts.headers ?? {}, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/**
 * Writes the agent.yaml of a provisioned agent talking to `mqttUrl`: quick reconnects
 * (200 ms – 1 s) unless `hub` says otherwise, plus whatever else the test sets.
 */
export function writeAgentConfig(
  file: string,
  creds: { agentId: string; secret: string },
  mqttUrl: string,
  rest: { dataDir: string; devices: unknown[]; hub?: Record<string, unknown>; [key: string]: unknown },
): void {
  const { hub, ...others } = rest;
  writeFileSync(file, stringify({ agentId: creds.agentId, secret: creds.secret, hub: { url: mqttUrl, reconnectMinMs: 200, reconnectMaxMs: 1000, ...hub }, ...others }));
}
