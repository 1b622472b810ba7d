import { topics } from '@ledwatch/protocols';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestHub, provisionAgent, startTestHub } from '../support/hub.js';
import { type RunningService, serviceAvailable, startMosquitto, waitFor } from '../support/services.js';

describe.skipIf(!serviceAvailable('mosquitto', 'mosquitto'))('the hub on an external Mosquitto broker', () => {
  let mosquitto: RunningService;
  let hub: TestHub;

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    hub = await startTestHub({ mqtt: { externalUrl: mosquitto.url } });
  });
  afterAll(async () => {
    await hub?.stop();
    await mosquitto?.stop();
  });

  it('ingests what an agent publishes through Mosquitto and acknowledges it', async () => {
    expect(hub.broker.mode).toBe('external');
    const { agentId } = await provisionAgent(hub, 'via-mosquitto');
    const c = await mqtt.connectAsync(mosquitto.url, { clientId: agentId, reconnectPeriod: 0 });
    await c.subscribeAsync(topics.ack(agentId), { qos: 1 });
    const ack = new Promise<string>((resolve) => c.on('message', (_t, p) => resolve(p.toString())));
    const now = Date.now();
    await c.publishAsync(topics.status(agentId), JSON.stringify({ state: 'online', version: '9.9.9', sessionId: 's1', startedAt: now, at: now }), {
      qos: 1,
      retain: true,
    });
    await c.publishAsync(topics.telemetry(agentId), JSON.stringify({ seq: 3, sessionId: 's1', readings: [{ device: 'host', at: now, metrics: { cpuPct: 9 } }] }), {
      qos: 1,
    });
    expect(JSON.parse(await ack)).toEqual({ seq: 3 });
    const item = await waitFor('agent online through mosquitto', async () => {
      const res = await hub.api<{ items: { id: string; online: boolean; version: string }[] }>('GET', '/api/agents');
      return res.body.items.find((a) => a.id === agentId && a.online);
    });
    expect(item.version).toBe('9.9.9');
    await c.endAsync();
  });

  it('drops messages from an agent id the hub never provisioned', async () => {
    const c = await mqtt.connectAsync(mosquitto.url, { clientId: 'ghost', reconnectPeriod: 0 });
    await c.publishAsync(topics.telemetry('ghost'), JSON.stringify({ seq: 1, readings: [{ device: 'host', at: Date.now(), metrics: { x: 1 } }] }), { qos: 1 });
    const text = await waitFor('unknown agent counted', async () => {
      const m = (await hub.api<string>('GET', '/metrics')).body;
      return /reason="unknown-agent"\} [1-9]/.test(m) ? m : undefined;
    });
    expect(text).toMatch(/ledwatch_mqtt_messages_rejected_total\{kind="telemetry",reason="unknown-agent"\} 1/);
    await c.endAsync();
  });
});
