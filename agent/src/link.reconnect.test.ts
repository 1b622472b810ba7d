import { once } from 'node:events';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Link } from './link.js';
import { startBroker, Watcher, type TestBroker } from './test-utils/broker.js';
import { tempDir } from './test-utils/fixtures.js';
import { actAsHub, AGENT_ID, closeOutboxes, connected, sampleReadings, testLink, waitUntil } from './test-utils/link.js';

let broker: TestBroker;
let dir: Awaited<ReturnType<typeof tempDir>>;
let link: Link | undefined;
const cleanups: (() => Promise<void>)[] = [];

beforeEach(async () => {
  broker = await startBroker();
  dir = await tempDir();
});

afterEach(async () => {
  await link?.stop();
  await closeOutboxes();
  for (const c of cleanups.splice(0).reverse()) await c();
  await broker.close();
  await dir.remove();
});

/** A server on `port` that accepts and at once drops every connection, noting when. */
async function refusingServer(port: number): Promise<{ attempts: number[]; close: () => Promise<void> }> {
  const attempts: number[] = [];
  const server = net.createServer((s) => {
    attempts.push(Date.now());
    s.destroy();
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { attempts, close: () => new Promise((r) => server.close(() => r())) };
}

describe('Link reconnects', () => {
  it('reconnects after a broker restart, waiting longer after each failed attempt', async () => {
    link = await testLink(broker.url, dir.path, { reconnectMinMs: 50, reconnectMaxMs: 400, random: () => 1 });
    const first = await connected(link);
    const { port } = broker;
    await broker.close();
    const refusing = await refusingServer(port);
    while (refusing.attempts.length < 4) await new Promise((r) => setTimeout(r, 20));
    await refusing.close();
    const gaps = refusing.attempts.slice(1).map((t, i) => t - (refusing.attempts[i] as number));
    // Delays with full jitter pinned to the top of the window: 200, 400, 400 ms after the 100 ms first one.
    expect(gaps[0]).toBeGreaterThanOrEqual(195);
    expect(gaps[1]).toBeGreaterThanOrEqual(395);
    expect(gaps[2]).toBeGreaterThanOrEqual(395);

    broker = await startBroker(port);
    const [second] = (await once(link, 'connected')) as [string];
    expect(second).not.toBe(first);
    const watcher = await Watcher.start(broker.url);
    cleanups.push(() => watcher.close());
    const status = await watcher.waitFor((m) => m.topic.endsWith('/status'));
    expect(status.payload).toMatchObject({ state: 'online', sessionId: second });
  });

  it('delivers batches stored while offline after reconnecting, in seq order, until the hub has acked them all', async () => {
    const { port } = broker;
    await broker.close();
    link = await testLink(`mqtt://127.0.0.1:${port}`, dir.path, { reconnectMinMs: 50, reconnectMaxMs: 100 });
    link.start();
    for (let n = 1; n <= 3; n++) await link.sendTelemetry(sampleReadings(n));
    expect(link.stats().queued).toBe(3);
    broker = await startBroker(port);
    let hubReady = false; // the agent is refused until the hub listens, so no batch passes unseen
    broker.aedes.authenticate = (client, _u, _p, done) => done(null, client.id !== AGENT_ID || hubReady);
    const hub = await Watcher.start(broker.url);
    cleanups.push(() => hub.close());
    actAsHub(hub);
    hubReady = true;
    await waitUntil(() => link?.stats().queued === 0);
    const fromAgent = broker.published.filter((m) => m.clientId === AGENT_ID);
    const sent = fromAgent.filter((m) => m.topic.endsWith('/telemetry'));
    expect(sent.map((m) => [m.payload.seq, (m.payload.readings as { metrics: { n: number } }[])[0]?.metrics.n])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    expect(fromAgent.map((m) => m.topic.split('/').pop())).toEqual(['status', 'inventory', 'telemetry', 'telemetry', 'telemetry']);
  });

  it('drops stored batches the hub acks, remembering the highest ack', async () => {
    // Withhold the broker's PUBACK for telemetry, so batches stay queued until the hub's ack.
    broker.aedes.authorizePublish = (client, packet, done) => {
      if (client?.id === AGENT_ID && packet.topic.endsWith('/telemetry')) return;
      done(null);
    };
    link = await testLink(broker.url, dir.path);
    await connected(link);
    for (let n = 1; n <= 3; n++) await link.sendTelemetry(sampleReadings(n));
    expect(link.stats().queued).toBe(3);
    const hub = await Watcher.start(broker.url);
    cleanups.push(() => hub.close());
    await hub.client.publishAsync(`ledwatch/v1/${AGENT_ID}/ack`, JSON.stringify({ seq: 1 }), { qos: 1 });
    await waitUntil(() => link?.stats().queued === 1);
    expect(link.stats()).toMatchObject({ ackedSeq: 1, queued: 1 });
    await hub.client.publishAsync(`ledwatch/v1/${AGENT_ID}/ack`, JSON.stringify({ seq: 0 }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(link.stats().ackedSeq).toBe(1);
    await link.stop({ drainMs: 50 }); // seq 2 is never PUBACKed: stop must not wait for it
  });
});
