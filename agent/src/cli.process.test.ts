import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBroker, Watcher, type Seen, type TestBroker } from './test-utils/broker.js';
import { tempDir } from './test-utils/fixtures.js';
import { killAll, LAUNCHER, spawnCli, spawnNode, writeAgentYaml } from './test-utils/process.js';

const AGENT_ID = 'proc-1';
const SECRET = 'do-not-log-me-4f9a';
let broker: TestBroker;
let watcher: Watcher;
let dir: Awaited<ReturnType<typeof tempDir>>;
let config: string;

beforeEach(async () => {
  broker = await startBroker();
  watcher = await Watcher.start(broker.url);
  dir = await tempDir();
  config = await writeAgentYaml(dir.path, broker.url, AGENT_ID, SECRET);
});

afterEach(async () => {
  await killAll();
  await watcher.close();
  await broker.close();
  await dir.remove();
});

const status = (state: string, reason?: string) => (m: { topic: string; payload: Record<string, unknown> }) =>
  m.topic.endsWith('/status') && m.payload.state === state && (reason === undefined || m.payload.reason === reason);
const telemetry = (m: { topic: string }) => m.topic.endsWith('/telemetry');

describe('the agent process', () => {
  it('publishes status and host telemetry, then on SIGTERM says offline/shutdown and exits 0', async () => {
    const agent = spawnCli(['run', '--config', config, '--log-level', 'debug']);
    const online = await watcher.waitFor(status('online'), 20_000, 'status online');
    const t = await watcher.waitFor(telemetry, 10_000, 'telemetry');
    expect(t.payload.readings).toContainEqual(expect.objectContaining({ device: 'host', state: 'ok' }));
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    const bye = await watcher.waitFor(status('offline'), 5000, 'status offline');
    expect(bye.payload).toMatchObject({ reason: 'shutdown', sessionId: online.payload.sessionId });
    const lines = agent.stderr().trim().split('\n');
    expect(lines.every((l) => typeof (JSON.parse(l) as { level?: unknown }).level === 'number')).toBe(true);
    expect(agent.stderr()).toMatch(/"module":"link"/);
    expect(agent.stderr()).not.toContain(SECRET);
  });

  it('leaves a Last Will when killed, then replays the unacked batches and continues with a higher seq after a restart', async () => {
    const crashed = spawnCli(['run', '--config', config]);
    await watcher.waitFor(telemetry, 20_000, 'telemetry');
    crashed.child.kill('SIGKILL');
    expect(await crashed.exited).toBe('SIGKILL');
    await watcher.waitFor(status('offline', 'lost'), 5000, 'the Last Will');
    const sentBefore = watcher.on('/telemetry').map((m) => m.payload.seq as number);
    const before = Math.max(...sentBefore);
    const seenBeforeRestart = watcher.messages.length;

    const restarted = spawnCli(['run', '--config', config]);
    const afterRestart = (m: Seen): boolean => telemetry(m) && watcher.messages.indexOf(m) >= seenBeforeRestart;
    const next = await watcher.waitFor((m) => afterRestart(m) && (m.payload.seq as number) > before, 20_000, 'new telemetry after the restart');
    expect(next.payload.seq).toBeGreaterThan(before);
    // No hub acked anything, so the outbox sent every earlier batch again, ahead of the new ones.
    const replayed = watcher.messages.filter(afterRestart).map((m) => m.payload.seq as number).filter((s) => s <= before);
    expect(replayed).toEqual(expect.arrayContaining(sentBefore));
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
  });

  it('starts from the bin launcher, which forwards SIGTERM to the agent it runs', async () => {
    const help = spawnNode([LAUNCHER, '--help'], { LEDWATCH_FROM_SOURCE: '1' });
    expect(await help.exited).toBe(0);
    expect(help.stdout()).toMatch(/Usage: ledwatch-agent run --config <file>/);
    const agent = spawnNode([LAUNCHER, 'run', '--config', config], { LEDWATCH_FROM_SOURCE: '1' });
    await watcher.waitFor(status('online'), 20_000, 'status online');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect((await watcher.waitFor(status('offline'), 5000)).payload.reason).toBe('shutdown');
  });
});
