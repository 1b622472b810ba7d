/**
 * Fault: an agent offline for a simulated day, SIGKILLed while replaying it, started again.
 *
 * The agent's clock is real, so the day is simulated: the synthetic driver's `backfill`
 * emits at the first poll the backlog a site would have gathered while its uplink was down
 * (8 components every 10 s over 24 h: 69,120 readings, ~140 outbox batches), while the hub
 * is not running. Then the hub starts, the agent replays, and is SIGKILLed with about a third
 * stored; the second run replays the rest. Every reading must be stored exactly once, but
 * for those produced in the last moments before the kill (still in the scheduler's batch
 * window, never in the outbox), which may be missing — and only those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningInfluxd } from '../../support/influxd.js';
import { serviceAvailable, waitFor } from '../../support/services.js';
import {
  type AgentProcess,
  type HubProcess,
  EXACTLY_ONCE,
  type FaultSite,
  createFaultSite,
  dumpLogsOnFailure,
  outboxFile,
  outboxRows,
  readJournal,
  settledComparison,
  storedTotal,
} from './harness.js';

const PER_POLL = 8;
const SLOTS = (24 * 3600) / 10;
const BACKLOG = SLOTS * PER_POLL;
/** Readings produced this long before a SIGKILL may not have reached the outbox. */
const KILL_WINDOW_MS = 2000;

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('an agent offline for a day, SIGKILLed while replaying', () => {
  let site: FaultSite;
  let influx: RunningInfluxd;
  let hub: HubProcess;
  let agent: AgentProcess;

  beforeAll(async () => {
    // The site's uplink is down while the agent backfills a day.
    site = await createFaultSite(
      'offline-day',
      {
        readingsPerPoll: PER_POLL,
        backfill: { hours: 24, everyS: 10 },
        // ~7 s of replay at 20 batches/s (of 500 readings), so the kill lands in the middle.
        outbox: { replayRatePerS: 20 },
      },
      { uplinkDown: true },
    );
    ({ influx, hub, agent } = site);
  });

  afterAll(() => site?.cleanup());

  it('stores the whole backlog exactly once after a SIGKILL in the middle of its replay', { timeout: 120_000 }, async () => {
    dumpLogsOnFailure({ hub: () => hub.output(), agent: () => agent.output() });
    const firstStart = Date.now();
    agent.start();
    const offline = await waitFor('the day of backlog in the outbox', () => {
      const rows = outboxRows(outboxFile(agent)).filter((r) => r.kind === 'telemetry');
      const items = rows.reduce((s, r) => s + r.items, 0);
      return items >= BACKLOG ? { batches: rows.length, items } : undefined;
    }, 60_000, 250);
    expect(offline.batches).toBeGreaterThanOrEqual(BACKLOG / 500);

    await hub.start(); // the uplink is back
    const stored = () => storedTotal(influx.url, agent.agentId);
    await waitFor('a third of the backlog stored', async () => ((await stored()) >= BACKLOG / 3 ? true : undefined), 60_000, 100);
    await agent.kill();
    const killedAt = Date.now();
    const left = outboxRows(outboxFile(agent)).filter((r) => r.kind === 'telemetry').length;
    const storedAtKill = await stored();
    expect(storedAtKill).toBeLessThan(0.8 * BACKLOG); // killed mid-replay …
    expect(left).toBeGreaterThan(offline.batches / 5); // … with much of the day still on disk

    const restartedAt = Date.now();
    agent.start();
    await waitFor('the rest of the backlog stored', async () => ((await stored()) >= BACKLOG ? true : undefined), 90_000, 250);
    const producedBeforeStop = agent.produced();
    await waitFor('the live readings caught up', async () => ((await stored()) >= producedBeforeStop - 3 * PER_POLL ? true : undefined), 30_000, 250);
    expect(await agent.stop()).toBe(0);

    const produced = readJournal(agent);
    const backlogPerComponent = [...produced.values()].map((times) => times.filter((t) => t < firstStart).length);
    expect(backlogPerComponent).toEqual(Array.from({ length: PER_POLL }, () => SLOTS)); // produced once, not again after the restart
    const mayMiss = (_component: string, at: number) => at >= killedAt - KILL_WINDOW_MS && at < restartedAt;
    const result = await settledComparison(influx.url, agent.agentId, produced, mayMiss);
    expect({ ...result, tolerated: 0 }).toEqual(EXACTLY_ONCE);
    // At most the scheduler's batch window (1 s) and the poll under way: two polls.
    expect(result.tolerated).toBeLessThanOrEqual(2 * PER_POLL);
    expect(hub.starts).toBe(2);
    expect(agent.starts).toBe(2);
  });
});
