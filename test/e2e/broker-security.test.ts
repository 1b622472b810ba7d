import { AGENT_KINDS, CONTRACT_SAMPLES, type AgentTopicKind, topicFor, topics } from '@ledwatch/protocols';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestHub, provisionAgent, startTestHub } from '../support/hub.js';
import { makeTestCertificate, serviceAvailable, tempDir, waitFor } from '../support/services.js';

function topicOf(kind: AgentTopicKind, agentId: string): string {
  return kind === 'cmd-result' ? topicFor('cmd-result', agentId, 'c-1') : topicFor(kind, agentId);
}

function rejected(metrics: string, kind: string, reason: string): number {
  const re = new RegExp(`^ledwatch_mqtt_messages_rejected_total\\{kind="${kind}",reason="${reason}"\\} (\\d+)`, 'm');
  return Number(re.exec(metrics)?.[1] ?? 0);
}

const hasOpenssl = serviceAvailable('openssl', 'openssl');

for (const transport of ['tcp', 'tls'] as const) {
  describe.skipIf(transport === 'tls' && !hasOpenssl)(`embedded broker security over ${transport}`, () => {
    let hub: TestHub;
    let a: { agentId: string; secret: string };
    let b: { agentId: string; secret: string };
    let url: string;
    const certDir = tempDir('cert');
    let ca: Buffer | undefined;
    const clients: MqttClient[] = [];

    const connect = async (o: IClientOptions): Promise<MqttClient> => {
      const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 5000, ...(ca ? { ca } : {}), ...o });
      clients.push(c);
      return c;
    };
    const metrics = async (): Promise<string> => (await hub.api<string>('GET', '/metrics')).body;

    beforeAll(async () => {
      const tls = transport === 'tls' ? makeTestCertificate(certDir.dir) : undefined;
      if (tls) ca = readFileSync(tls.cert);
      hub = await startTestHub(tls ? { tls } : {});
      a = await provisionAgent(hub, 'agent-a');
      b = await provisionAgent(hub, 'agent-b');
      url = transport === 'tls' ? (hub.mqttsUrl as string) : hub.mqttUrl;
    });

    afterAll(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await hub?.stop();
      certDir.cleanup();
    });

    it('serves the API over the matching scheme', async () => {
      expect(hub.url.startsWith(transport === 'tls' ? 'https://' : 'http://')).toBe(true);
      const health = await hub.api<{ status: string }>('GET', '/api/health');
      expect(health.status).toBe(200);
    });

    it('refuses a client with a wrong secret', async () => {
      await expect(connect({ clientId: a.agentId, username: a.agentId, password: 'not-the-secret' })).rejects.toThrow(
        /Bad username or password|Not authorized/,
      );
      await expect(connect({ clientId: 'stranger', username: 'stranger', password: 'x' })).rejects.toThrow(/Bad username or password/);
    });

    it('refuses a username that is not the client id', async () => {
      await expect(connect({ clientId: 'other-id', username: a.agentId, password: a.secret })).rejects.toThrow(/Bad username or password/);
    });

    it('does not let an agent publish under another agent id', async () => {
      const c = await connect({ clientId: a.agentId, username: a.agentId, password: a.secret });
      const before = Number(/^ledwatch_mqtt_acl_denied_total\{action="publish"\} (\d+)/m.exec(await metrics())?.[1] ?? 0);
      const payload = JSON.stringify(CONTRACT_SAMPLES.telemetry.valid[1]);
      c.publish(topics.telemetry(b.agentId), payload, { qos: 1 });
      await waitFor('acl denial counted', async () => {
        const n = Number(/^ledwatch_mqtt_acl_denied_total\{action="publish"\} (\d+)/m.exec(await metrics())?.[1] ?? 0);
        return n > before ? n : undefined;
      });
      const row = hub.ctx.state.sqlite.prepare('select last_seq from agents where id = ?').get(b.agentId) as { last_seq: number | null };
      expect(row.last_seq).toBeNull();
    });

    it('does not let an agent subscribe to another agent commands', async () => {
      const c = await connect({ clientId: a.agentId, username: a.agentId, password: a.secret });
      // The broker grants 128 (failure); mqtt.js turns that into a rejected subscribe.
      await expect(c.subscribeAsync(`ledwatch/v1/${b.agentId}/cmd/+`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
      const own = await c.subscribeAsync(`ledwatch/v1/${a.agentId}/cmd/+`, { qos: 1 });
      expect(own[0]?.qos).toBe(1);
    });

    it('counts and drops malformed payloads on every agent topic, and keeps serving', async () => {
      const c = await connect({ clientId: a.agentId, username: a.agentId, password: a.secret });
      const expected: Record<string, { invalid: number; json: number }> = {};
      for (const kind of AGENT_KINDS) {
        const invalid = CONTRACT_SAMPLES[kind].invalid;
        for (const s of invalid) await c.publishAsync(topicOf(kind, a.agentId), JSON.stringify(s.payload), { qos: 1 });
        await c.publishAsync(topicOf(kind, a.agentId), Buffer.from([0x7b, 0x22, 0xff]), { qos: 1 });
        expected[kind] = { invalid: invalid.length, json: 1 };
      }
      const text = await waitFor('all rejections counted', async () => {
        const m = await metrics();
        return AGENT_KINDS.every((k) => rejected(m, k, 'invalid-payload') >= (expected[k]?.invalid ?? 0) && rejected(m, k, 'invalid-json') >= 1)
          ? m
          : undefined;
      });
      for (const kind of AGENT_KINDS) {
        expect(rejected(text, kind, 'invalid-payload'), kind).toBe(expected[kind]?.invalid);
        expect(rejected(text, kind, 'invalid-json'), kind).toBe(1);
      }
      // Still serving: a valid batch is stored and acknowledged.
      await c.subscribeAsync(topics.ack(a.agentId), { qos: 1 });
      const acked = new Promise<string>((resolve) => c.once('message', (_t, p) => resolve(p.toString())));
      const valid = { seq: 7, readings: [{ device: 'host', at: Date.now(), metrics: { cpuPct: 3 } }] };
      await c.publishAsync(topics.telemetry(a.agentId), JSON.stringify(valid), { qos: 1 });
      expect(JSON.parse(await acked)).toEqual({ seq: 7 });
      expect((await hub.api('GET', '/api/health')).status).toBe(200);
    });
  });
}

describe('MQTT over WebSocket on the HTTP server', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('accepts a provisioned agent and refuses a wrong secret', async () => {
    const a = await provisionAgent(hub, 'ws-agent');
    const c = await mqtt.connectAsync(hub.wsUrl as string, { clientId: a.agentId, username: a.agentId, password: a.secret, reconnectPeriod: 0 });
    expect(c.connected).toBe(true);
    await c.endAsync();
    await expect(
      mqtt.connectAsync(hub.wsUrl as string, { clientId: a.agentId, username: a.agentId, password: 'wrong', reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password/);
  });
});
