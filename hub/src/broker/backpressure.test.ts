import type { AddressInfo } from 'node:net';
import { topics } from '@ledwatch/protocols';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../auth/secrets.js';
import { type TestContext, createTestContext, seedFixture } from '../test-utils/context.js';
import { type EmbeddedBroker, createEmbeddedBroker } from './embedded.js';
import { closeServer, createMqttTcpServer } from './listeners.js';

describe('embedded broker flow control', () => {
  let ctx: TestContext;
  let broker: EmbeddedBroker;
  let server: ReturnType<typeof createMqttTcpServer>;
  let port: number;

  beforeEach(async () => {
    ctx = await createTestContext();
    const fx = await seedFixture(ctx);
    ctx.state.sqlite
      .prepare("insert into agents (id, name, site_id, secret_hash, created_at) values ('a1', 'A', ?, ?, 0)")
      .run(fx.customers[0].siteId, hashSecret('s3cret'));
    broker = await createEmbeddedBroker(ctx);
    server = createMqttTcpServer(broker.aedes, ctx.metrics);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await closeServer(server);
    await broker.close();
    await ctx.cleanup();
  });

  it('stops reading from an agent while ingest is stuck, so nothing piles up in the hub', async () => {
    let inHandler = 0;
    let maxInHandler = 0;
    let handled = 0;
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const arrivals: (number | undefined)[] = [];
    broker.onMessage(async (msg) => {
      arrivals.push(msg.receivedAt);
      inHandler++;
      maxInHandler = Math.max(maxInHandler, inHandler);
      await stuck; // e.g. the telemetry store is full and write() waits
      inHandler--;
      handled++;
    });
    await broker.start();
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'a1', username: 'a1', password: 's3cret', reconnectPeriod: 0 });
    const payload = JSON.stringify({ seq: 1, readings: [{ device: 'host', at: Date.now(), metrics: { x: 1 } }] });
    const sent = 2000;
    const pubacks = Array.from({ length: sent }, () => c.publishAsync(topics.telemetry('a1'), payload, { qos: 1 }));
    await new Promise((r) => setTimeout(r, 500));
    // One socket read at a time is in the hub; the rest waits in the agent (and its outbox).
    expect(maxInHandler).toBeGreaterThan(0);
    expect(maxInHandler).toBeLessThan(sent / 2);
    expect(handled).toBe(0);
    release();
    await Promise.all(pubacks);
    await expect.poll(() => handled, { timeout: 10_000 }).toBe(sent);
    // Each message carries when it came off the socket (clock skew is measured from that).
    expect(arrivals.every((t) => t !== undefined && t <= Date.now())).toBe(true);
    await c.endAsync();
  });

  it('holds telemetry back before PUBACK while the gate (a full store) is closed', async () => {
    let open!: () => void;
    let closed: Promise<void> | undefined = new Promise<void>((r) => (open = r));
    let handled = 0;
    broker.holdTelemetryWhile?.(() => closed);
    broker.onMessage(() => {
      handled++;
    });
    await broker.start();
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'a1', username: 'a1', password: 's3cret', reconnectPeriod: 0 });
    let acked = 0;
    const payload = JSON.stringify({ seq: 1, readings: [{ device: 'host', at: Date.now(), metrics: { x: 1 } }] });
    const pubacks = Array.from({ length: 50 }, () => c.publishAsync(topics.telemetry('a1'), payload, { qos: 1 }).then(() => acked++));
    await c.publishAsync(topics.status('a1'), JSON.stringify({ state: 'online' }), { qos: 1 }); // not telemetry: passes
    await new Promise((r) => setTimeout(r, 300));
    expect(acked).toBe(0);
    expect(handled).toBe(1);
    closed = undefined;
    open();
    await Promise.all(pubacks);
    await expect.poll(() => handled).toBe(51);
    await c.endAsync();
  });
});
