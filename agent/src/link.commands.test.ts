import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Link } from './link.js';
import { startBroker, Watcher, type TestBroker } from './test-utils/broker.js';
import { tempDir } from './test-utils/fixtures.js';
import { AGENT_ID, closeOutboxes, connected, testLink } from './test-utils/link.js';

let broker: TestBroker;
let hub: Watcher;
let dir: Awaited<ReturnType<typeof tempDir>>;
let link: Link;
const root = `ledwatch/v1/${AGENT_ID}`;

beforeEach(async () => {
  broker = await startBroker();
  hub = await Watcher.start(broker.url);
  dir = await tempDir();
  link = await testLink(broker.url, dir.path);
  await connected(link);
  await hub.waitFor((m) => m.topic === `${root}/inventory`);
});

afterEach(async () => {
  await link.stop();
  await closeOutboxes();
  await hub.close();
  await broker.close();
  await dir.remove();
});

const command = (id: string, type: string, extra: object = {}): Promise<unknown> =>
  hub.client.publishAsync(`${root}/cmd/${id}`, JSON.stringify({ id, type, issuedAt: Date.now(), ...extra }), { qos: 1 });
const resultOf = (id: string) => hub.waitFor((m) => m.topic === `${root}/cmd-result/${id}`, 5000, `the result of ${id}`);

describe('Link commands', () => {
  it('answers rebirth by republishing status and inventory', async () => {
    const births = hub.on('/status').length;
    await command('c-rebirth', 'rebirth');
    expect((await resultOf('c-rebirth')).payload).toMatchObject({ id: 'c-rebirth', type: 'rebirth', state: 'succeeded' });
    expect(hub.on('/status').length).toBe(births + 1);
    expect(hub.on('/status').at(-1)?.payload).toMatchObject({ state: 'online', sessionId: link.sessionId });
    expect(hub.on('/inventory').length).toBe(2);
  });

  it('answers ping with the agent clock', async () => {
    const before = Date.now();
    await command('c-ping', 'ping');
    const { payload } = await resultOf('c-ping');
    expect(payload).toMatchObject({ state: 'succeeded', type: 'ping' });
    expect((payload.result as { at: number }).at).toBeGreaterThanOrEqual(before);
  });

  it('rejects command types it does not handle yet', async () => {
    await command('c-up', 'upgrade', { params: { version: '2.0.0' } });
    expect((await resultOf('c-up')).payload).toMatchObject({ state: 'rejected', error: { code: 'unsupported-command' } });
  });

  it('ignores expired commands, and runs a repeated one once but answers it again', async () => {
    const before = link.stats().commands;
    await command('c-old', 'ping', { expiresAt: Date.now() - 1000 });
    await command('c-twice', 'ping');
    await command('c-twice', 'ping');
    await command('c-last', 'ping');
    await resultOf('c-last');
    expect(hub.on('/cmd-result/c-old')).toEqual([]);
    const answers = hub.on('/cmd-result/c-twice');
    expect(answers).toHaveLength(2);
    expect(answers[1]).toEqual(answers[0]);
    expect(link.stats().commands - before).toBe(2);
  });

  it('counts and ignores malformed acks and commands, and keeps working', async () => {
    await hub.client.publishAsync(`${root}/ack`, 'not json', { qos: 1 });
    await hub.client.publishAsync(`${root}/ack`, JSON.stringify({ seq: -4 }), { qos: 1 });
    await hub.client.publishAsync(`${root}/cmd/c-bad`, JSON.stringify({ id: 'c-bad', type: 'format-disk', issuedAt: Date.now() }), { qos: 1 });
    await command('c-other', 'ping', { id: 'c-mismatch' });
    await command('c-after', 'ping');
    await resultOf('c-after');
    expect(link.stats().invalidMessages).toBe(4);
    expect(link.connected).toBe(true);
    expect(hub.on('/cmd-result/c-bad')).toEqual([]);
  });
});
