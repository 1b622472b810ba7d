/**
 * Acks under load through the embedded broker: while the telemetry store makes ingest wait,
 * more batches than aedes delivers concurrently (100) are held in the hub. The acks those
 * batches are owed must still go out once the store catches up — an ack publish must never
 * wait on a delivery slot that a handler waiting for its ack is holding.
 */
import type { AddressInfo } from 'node:net';
import { encodePayload, topics } from '@ledwatch/protocols';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '../auth/secrets.js';
import { type EmbeddedBroker, createEmbeddedBroker } from '../broker/embedded.js';
import { closeServer, createMqttTcpServer } from '../broker/listeners.js';
import { type TestContext, createTestContext, seedFixture } from '../test-utils/context.js';
import { Ingest } from './ingest.js';

const AGENTS = 150;

describe('acks through the embedded broker', () => {
  let ctx: TestContext;
  let broker: EmbeddedBroker;
  let server: ReturnType<typeof createMqttTcpServer>;
  let port: number;
  const clients: mqtt.MqttClient[] = [];

  beforeEach(async () => {
    ctx = await createTestContext();
    const fx = await seedFixture(ctx);
    const insert = ctx.state.sqlite.prepare("insert into agents (id, name, site_id, secret_hash, created_at) values (?, 'A', ?, ?, 0)");
    const hash = hashSecret('s3cret');
    for (let i = 0; i < AGENTS; i++) insert.run(`load-${i}`, fx.customers[0].siteId, hash);
    broker = await createEmbeddedBroker(ctx);
    server = createMqttTcpServer(broker.aedes, ctx.metrics);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await closeServer(server);
    await broker.close();
    await ctx.cleanup();
  });

  it('acks every batch once a stuck store resumes, even with more batches held than aedes delivers at once', { timeout: 30_000 }, async () => {
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    const write = ctx.telemetry.writeReadings.bind(ctx.telemetry);
    ctx.telemetry.writeReadings = async (owner, readings, offsetMs) => {
      await stuck; // InfluxDB down, buffer full: the write waits
      return write(owner, readings, offsetMs);
    };
    const ingest = new Ingest(ctx, broker);
    await broker.start();

    const acked = new Map<string, number>();
    for (let i = 0; i < AGENTS; i++) {
      const id = `load-${i}`;
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: id, username: id, password: 's3cret', reconnectPeriod: 0 });
      clients.push(c);
      c.on('message', (_t, payload) => acked.set(id, (JSON.parse(payload.toString()) as { seq: number }).seq));
      await c.subscribeAsync(topics.ack(id), { qos: 1 });
    }
    const at = Date.now();
    const puback = clients.map((c, i) =>
      c.publishAsync(topics.telemetry(`load-${i}`), encodePayload('telemetry', { seq: 7, readings: [{ device: 'host', at, metrics: { x: i } }] }), { qos: 1 }),
    );
    // aedes delivers 100 messages at a time: that many handlers now wait for the store
    const accepted = (): Promise<number> => ctx.metrics.readingsAccepted.get().then((m) => m.values[0]?.value ?? 0);
    await expect.poll(accepted, { timeout: 10_000 }).toBeGreaterThanOrEqual(100);
    await new Promise((r) => setTimeout(r, 200));
    expect(acked.size).toBe(0); // nothing stored, nothing acked
    release();
    await Promise.all(puback);
    await expect.poll(() => acked.size, { timeout: 15_000 }).toBe(AGENTS);
    expect([...acked.values()].every((s) => s === 7)).toBe(true);
    await ingest.idle();
  });
});
