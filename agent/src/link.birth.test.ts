import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Link } from './link.js';
import { startBroker, Watcher, type TestBroker } from './test-utils/broker.js';
import { tempDir } from './test-utils/fixtures.js';
import { AGENT_ID, closeOutboxes, connected, sampleReadings, testLink } from './test-utils/link.js';

let broker: TestBroker;
let watcher: Watcher;
let dir: Awaited<ReturnType<typeof tempDir>>;
let link: Link;
const late: Watcher[] = [];
const status = `ledwatch/v1/${AGENT_ID}/status`;
const inventory = `ledwatch/v1/${AGENT_ID}/inventory`;

beforeEach(async () => {
  broker = await startBroker();
  watcher = await Watcher.start(broker.url);
  dir = await tempDir();
  link = await testLink(broker.url, dir.path);
});

afterEach(async () => {
  await link.stop();
  await closeOutboxes();
  await Promise.all([watcher, ...late.splice(0)].map((w) => w.close()));
  await broker.close();
  await dir.remove();
});

describe('Link birth and death', () => {
  it('publishes a retained online status and inventory on connect', async () => {
    const sessionId = await connected(link);
    await watcher.waitFor((m) => m.topic === inventory);
    const fresh = await Watcher.start(broker.url);
    late.push(fresh);
    const retainedStatus = await fresh.waitFor((m) => m.topic === status);
    const retainedInventory = await fresh.waitFor((m) => m.topic === inventory);
    expect(retainedStatus.retain).toBe(true);
    expect(retainedStatus.payload).toMatchObject({ state: 'online', sessionId, version: '9.9.9', keepaliveS: 5 });
    expect(retainedInventory.retain).toBe(true);
    expect(retainedInventory.payload).toMatchObject({ sessionId, devices: [{ id: 'host', kind: 'host', capabilities: ['cpu'] }] });
  });

  it('has the broker publish its Last Will when the socket dies without DISCONNECT, then starts a new session', async () => {
    const first = await connected(link);
    await watcher.waitFor((m) => m.topic === inventory);
    expect(broker.dropClient(AGENT_ID)).toBe(true);
    const will = await watcher.waitFor((m) => m.topic === status && m.payload.state === 'offline');
    expect(will.payload).toMatchObject({ reason: 'lost', sessionId: first });
    const reborn = await watcher.waitFor((m) => m.topic === status && m.payload.state === 'online' && m.payload.sessionId !== first);
    expect(reborn.payload.sessionId).toBe(link.sessionId);
    await watcher.waitFor((m) => m.topic === inventory && m.payload.sessionId === link.sessionId);
    expect(link.stats()).toMatchObject({ connects: 2, disconnects: 1 });
  });

  it('sends telemetry with its seq, session id and send time', async () => {
    const sessionId = await connected(link);
    const before = Date.now();
    await link.sendTelemetry(sampleReadings(1));
    await link.sendTelemetry(sampleReadings(2));
    const telemetry = `ledwatch/v1/${AGENT_ID}/telemetry`;
    await watcher.waitFor((m) => m.topic === telemetry && m.payload.seq === 1);
    const [a, b] = watcher.on('/telemetry').map((m) => m.payload);
    expect(a).toMatchObject({ seq: 0, sessionId, readings: [{ device: 'host', metrics: { n: 1 } }] });
    expect(b?.seq).toBe(1);
    expect(a?.sentAt).toBeGreaterThanOrEqual(before);
  });

  it('sends agent events on the events topic, in the seq space of telemetry', async () => {
    const sessionId = await connected(link);
    await link.sendTelemetry(sampleReadings(1));
    await link.sendEvents([{ type: 'card-missing', action: 'raised', at: Date.now(), device: 'host' }]);
    const events = await watcher.waitFor((m) => m.topic === `ledwatch/v1/${AGENT_ID}/events`);
    expect(events.payload).toMatchObject({ seq: 1, sessionId, events: [{ type: 'card-missing', action: 'raised', device: 'host' }] });
  });

  it('refuses a batch that breaks the contract without storing it', async () => {
    await expect(link.sendTelemetry([{ device: 'no spaces allowed', at: Date.now(), metrics: {} }])).rejects.toMatchObject({ code: 'invalid-payload' });
    expect(link.stats().outbox).toMatchObject({ rows: 0, newestSeq: undefined });
  });

  it('publishes offline/shutdown on a clean stop, and no Last Will', async () => {
    const sessionId = await connected(link);
    await watcher.waitFor((m) => m.topic === inventory);
    await link.stop();
    const bye = await watcher.waitFor((m) => m.topic === status && m.payload.state === 'offline');
    expect(bye.payload).toMatchObject({ reason: 'shutdown', sessionId });
    await new Promise((r) => setTimeout(r, 200));
    expect(watcher.on('/status').filter((m) => m.payload.reason === 'lost')).toEqual([]);
    const fresh = await Watcher.start(broker.url);
    late.push(fresh);
    expect((await fresh.waitFor((m) => m.topic === status)).payload).toMatchObject({ state: 'offline', reason: 'shutdown' });
  });
});
