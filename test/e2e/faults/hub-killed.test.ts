/**
 * Fault: the hub process is SIGKILLed in the middle of a stream — twice, the second time
 * just after it came back and while the agent was replaying — and started again on the same
 * ports and data dir. The agent is never touched until the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningInfluxd } from '../../support/influxd.js';
import { serviceAvailable, waitFor } from '../../support/services.js';
import {
  type AgentProcess,
  type HubProcess,
  EXACTLY_ONCE,
  countsOf,
  type FaultSite,
  createFaultSite,
  dumpLogsOnFailure,
  readJournal,
  settledComparison,
  storedCounts,
  storedTotal,
} from './harness.js';

const PER_POLL = 100;

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('the hub SIGKILLed mid-stream', () => {
  let site: FaultSite;
  let influx: RunningInfluxd;
  let hub: HubProcess;
  let agent: AgentProcess;

  beforeAll(async () => {
    site = await createFaultSite('hub-killed', { readingsPerPoll: PER_POLL });
    ({ influx, hub, agent } = site);
    agent.start();
  });

  afterAll(() => site?.cleanup());

  it('stores every reading exactly once after two hub kills, and the agent recovers without a restart', { timeout: 120_000 }, async () => {
    dumpLogsOnFailure({ hub: () => hub.output(), agent: () => agent.output() });
    const stored = () => storedTotal(influx.url, agent.agentId);
    await waitFor('a steady stream', async () => ((await stored()) >= 3 * PER_POLL ? true : undefined), 60_000, 250);
    const pid = agent.pid();

    for (const round of [1, 2]) {
      await hub.kill();
      const producedAtKill = agent.produced();
      // Down long enough for the agent to notice and to queue batches for the next hub.
      await waitFor(`readings produced while the hub is down (round ${round})`, () => agent.produced() >= producedAtKill + 3 * PER_POLL || undefined, 30_000, 100);
      const before = await stored();
      await hub.start();
      // Killed again (round 1) as soon as the agent's replay reached the new hub.
      await waitFor(`the agent's replay into the restarted hub (round ${round})`, async () => ((await stored()) > before ? true : undefined), 60_000, 100);
    }
    const producedBeforeStop = agent.produced();
    await waitFor('the backlog caught up', async () => ((await stored()) >= producedBeforeStop ? true : undefined), 60_000, 250);
    expect(agent.running()).toBe(true);
    expect(agent.pid()).toBe(pid);
    expect(agent.starts).toBe(1);

    expect(await agent.stop()).toBe(0);
    const produced = readJournal(agent);
    expect(await settledComparison(influx.url, agent.agentId, produced)).toEqual(EXACTLY_ONCE);
    expect(await storedCounts(influx.url, agent.agentId)).toEqual(countsOf(produced));
    expect([...produced.keys()].sort()).toHaveLength(PER_POLL);
    expect(hub.starts).toBe(3);
    expect(agent.output()).not.toContain('telemetry batch lost');
  });
});
