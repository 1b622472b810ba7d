/**
 * The link and the outbox together against a real broker, with a watcher playing the hub
 * (it acks every batch it receives). The outage is the agent's uplink: the broker refuses
 * the agent and drops its socket, while the hub stays connected.
 */
import type { Reading } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Link } from '../link.js';
import { startBroker, Watcher, type TestBroker } from '../test-utils/broker.js';
import { tempDir } from '../test-utils/fixtures.js';
import { actAsHub, AGENT_ID, closeOutboxes, connected, seenSeqs, testLink, waitUntil } from '../test-utils/link.js';

let broker: TestBroker;
let hub: Watcher;
let dir: Awaited<ReturnType<typeof tempDir>>;
let link: Link;
let uplinkUp = true;
const arrivals: number[] = [];

beforeEach(async () => {
  broker = await startBroker();
  broker.aedes.authenticate = (client, _u, _p, done) => done(null, client.id !== AGENT_ID || uplinkUp);
  hub = await Watcher.start(broker.url);
  hub.client.on('message', (topic) => {
    if (topic.endsWith('/telemetry')) arrivals.push(Date.now());
  });
  dir = await tempDir();
});

afterEach(async () => {
  await link.stop();
  await closeOutboxes();
  await hub.close();
  await broker.close();
  await dir.remove();
  uplinkUp = true;
  arrivals.length = 0;
});

const readingAt = (n: number, at: number): Reading[] => [{ device: 'host', at, metrics: { n } }];
const telemetry = (): Record<string, unknown>[] => hub.on('/telemetry').map((m) => m.payload);

describe('replay after an outage', () => {
  it('delivers every batch stored while offline once, in seq order, at the bounded rate, and the acks empty the outbox', async () => {
    actAsHub(hub);
    link = await testLink(broker.url, dir.path, { replayRatePerS: 100, maxInFlight: 10, reconnectMinMs: 50, reconnectMaxMs: 100 });
    await connected(link);
    for (let n = 0; n < 3; n++) await link.sendTelemetry(readingAt(n, Date.now()));
    await waitUntil(() => link.stats().queued === 0, 5000, 'the acks before the outage');

    uplinkUp = false;
    broker.dropClient(AGENT_ID);
    await waitUntil(() => !link.connected, 5000, 'the outage');
    const measured = Array.from({ length: 120 }, (_, i) => 1_750_000_000_000 + i * 1000);
    for (const [i, at] of measured.entries()) await link.sendTelemetry(readingAt(3 + i, at));
    expect(link.stats()).toMatchObject({ queued: 120, outbox: { oldestSeq: 3, newestSeq: 122 } });

    const before = telemetry().length;
    uplinkUp = true;
    await waitUntil(() => telemetry().length > before + 30, 10_000, 'the replay to get going');
    for (let n = 0; n < 5; n++) await link.sendTelemetry(readingAt(123 + n, Date.now())); // live, behind the replay
    await waitUntil(() => link.stats().queued === 0, 10_000, 'the outbox to empty');

    const after = telemetry().slice(before);
    expect(after.map((p) => p.seq)).toEqual(Array.from({ length: 125 }, (_, i) => 3 + i));
    expect(after.slice(0, 120).map((p) => (p.readings as Reading[])[0]?.at)).toEqual(measured);
    const replayMs = (arrivals[before + 119] ?? 0) - (arrivals[before] ?? 0);
    expect(replayMs).toBeGreaterThanOrEqual(1000); // 120 batches at 100/s after a burst of 10
    expect(link.stats()).toMatchObject({ replayed: 120, resent: 0, inFlight: 0, outbox: { rows: 0 } });
  });

  it('sends a batch the hub did not ack in time again, so a lost ack costs a duplicate, not a batch', async () => {
    let received = 0;
    hub.client.on('message', (topic, raw) => {
      if (!topic.endsWith('/telemetry') || received++ === 0) return; // the hub "loses" its first ack
      const { seq } = JSON.parse(raw.toString('utf8')) as { seq: number };
      hub.client.publishAsync(`ledwatch/v1/${AGENT_ID}/ack`, JSON.stringify({ seq }), { qos: 1 }).catch(() => undefined);
    });
    link = await testLink(broker.url, dir.path, { ackTimeoutMs: 300, maxInFlight: 1 });
    await connected(link);
    await link.sendTelemetry(readingAt(0, Date.now()));
    await link.sendTelemetry(readingAt(1, Date.now()));
    await waitUntil(() => link.stats().queued === 0, 5000, 'the resend and the acks');
    expect(seenSeqs(hub)).toEqual([0, 0, 1]);
    expect(link.stats()).toMatchObject({ resent: 1, ackedSeq: 1 });
  });
});
