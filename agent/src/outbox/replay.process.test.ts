/**
 * The real agent process: offline while it keeps polling, then SIGKILLed in the middle of
 * its replay, then started again. A watcher plays the hub and acks what it receives.
 */
import { join } from 'node:path';
import { envNameFor, type Reading } from '@ledwatch/protocols';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_ENV_PREFIX } from '../config.js';
import { startBroker, Watcher, type TestBroker } from '../test-utils/broker.js';
import { tempDir } from '../test-utils/fixtures.js';
import { actAsHub, waitUntil } from '../test-utils/link.js';
import { killAll, spawnCli, writeAgentYaml } from '../test-utils/process.js';
import { OUTBOX_FILE } from './outbox.js';

const AGENT_ID = 'proc-outbox';
let broker: TestBroker;
let hub: Watcher;
let dir: Awaited<ReturnType<typeof tempDir>>;
let uplinkUp = false;

beforeEach(async () => {
  broker = await startBroker();
  broker.aedes.authenticate = (client, _u, _p, done) => done(null, client.id !== AGENT_ID || uplinkUp);
  hub = await Watcher.start(broker.url);
  actAsHub(hub, AGENT_ID);
  dir = await tempDir();
});

afterEach(async () => {
  await killAll();
  await hub.close();
  await broker.close();
  await dir.remove();
  uplinkUp = false;
});

/** Telemetry seqs in the agent's outbox on disk, read beside the running agent. */
function storedSeqs(): number[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(join(dir.path, 'data', OUTBOX_FILE), { readonly: true, fileMustExist: true });
    return db.prepare("SELECT seq FROM outbox WHERE kind = 'telemetry' ORDER BY seq").pluck().all() as number[];
  } catch {
    return []; // not created yet
  } finally {
    db?.close();
  }
}
const delivered = (): Set<number> => new Set(hub.on('/telemetry').map((m) => m.payload.seq as number));

describe('the agent process with its outbox', () => {
  it('loses no batch when SIGKILLed in the middle of a replay and started again', { timeout: 60_000 }, async () => {
    const config = await writeAgentYaml(dir.path, broker.url, AGENT_ID, 'outbox-secret');
    const env = { [envNameFor(AGENT_ENV_PREFIX, ['outbox', 'replayRatePerS'])]: '2' };
    const first = spawnCli(['run', '--config', config], env);
    await waitUntil(() => storedSeqs().length >= 5, 20_000, 'five batches stored while offline');
    const uplinkAt = Date.now();
    uplinkUp = true;
    await waitUntil(() => delivered().size >= 1, 10_000, 'the replay to start');
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const left = storedSeqs();
    const produced = Math.max(...left, ...delivered());
    expect(left.length).toBeGreaterThanOrEqual(3); // killed mid-replay: most of the backlog is still on disk

    const second = spawnCli(['run', '--config', config], env);
    const all = Array.from({ length: produced + 1 }, (_, i) => i);
    await waitUntil(() => all.every((s) => delivered().has(s)), 30_000, 'every batch of the first run');
    const firstReplayed = hub.on('/telemetry').find((m) => m.payload.seq === 0)?.payload.readings as Reading[] | undefined;
    expect(firstReplayed?.[0]?.at).toBeLessThan(uplinkAt); // measured time, not send time
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
