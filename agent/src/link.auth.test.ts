import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Link } from './link.js';
import { startBroker, type TestBroker } from './test-utils/broker.js';
import { tempDir } from './test-utils/fixtures.js';
import { AGENT_ID, closeOutboxes, connected, testLink } from './test-utils/link.js';

let broker: TestBroker;
let dir: Awaited<ReturnType<typeof tempDir>>;
let link: Link;

beforeEach(async () => {
  broker = await startBroker();
  dir = await tempDir();
});

afterEach(async () => {
  await link.stop();
  await closeOutboxes();
  await broker.close();
  await dir.remove();
});

describe('Link against a broker that checks credentials', () => {
  it('authenticates with its agent id and secret', async () => {
    let seen: [string | undefined, string | undefined, string] | undefined;
    broker.aedes.authenticate = (client, username, password, done) => {
      seen = [username, password?.toString(), client.id];
      done(null, true);
    };
    link = await testLink(broker.url, dir.path, { secret: 'right-secret' });
    await connected(link);
    expect(seen).toEqual([AGENT_ID, 'right-secret', AGENT_ID]);
  });

  it('keeps retrying while the broker refuses its credentials, and connects once they are accepted', async () => {
    let attempts = 0;
    let accept = false;
    broker.aedes.authenticate = (_client, _username, _password, done) => {
      attempts++;
      if (accept) return done(null, true);
      done(Object.assign(new Error('bad credentials'), { returnCode: 4 }), false);
    };
    link = await testLink(broker.url, dir.path, { reconnectMinMs: 20, reconnectMaxMs: 60 });
    link.start();
    while (attempts < 3) await new Promise((r) => setTimeout(r, 10));
    expect(link.connected).toBe(false);
    accept = true;
    await new Promise<void>((resolve) => link.once('connected', () => resolve()));
    expect(link.stats().connects).toBe(1);
  });
});
