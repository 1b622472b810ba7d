/**
 * Fault: the agent's outbox file is truncated in the middle (a torn copy, a full disk, a
 * bad sector) while it holds batches the hub never acked. The agent must start anyway,
 * set the file aside, salvage what still reads, report the loss in an outbox-corrupt event
 * that reaches the hub, keep seq rising and keep streaming; every salvaged batch is stored
 * exactly once, and what is missing is exactly what the event reports lost.
 */
import { readdirSync, statSync, truncateSync } from 'node:fs';
import type { Reading } from '@ledwatch/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningInfluxd } from '../../support/influxd.js';
import { serviceAvailable, waitFor } from '../../support/services.js';
import {
  type AgentProcess,
  type HubProcess,
  type OutboxRow,
  EXACTLY_ONCE,
  type FaultSite,
  createFaultSite,
  dumpLogsOnFailure,
  hubLastSeq,
  outboxFile,
  outboxRows,
  readJournal,
  settledComparison,
  storedTotal,
} from './harness.js';

/** ~1.3 KB per poll: a batch (of one or two polls) fits in a page, so the file is many leaf pages. */
const PER_POLL = 12;
const BATCHES = 10;

interface CorruptEvent {
  seq: number;
  data: { recoveredBatches: number; lostAfterSeq?: number; lostBeforeSeq?: number; movedTo: string };
}

/** The batches an outbox-corrupt report says are gone, out of the rows the file held. */
function lostRows(rows: OutboxRow[], report: CorruptEvent['data']): OutboxRow[] {
  if (report.recoveredBatches === rows.length) return [];
  return rows.filter((r) => (report.lostAfterSeq === undefined || r.seq > report.lostAfterSeq) && (report.lostBeforeSeq === undefined || r.seq < report.lostBeforeSeq));
}

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('an outbox file truncated in the middle', () => {
  let site: FaultSite;
  let influx: RunningInfluxd;
  let hub: HubProcess;
  let agent: AgentProcess;

  beforeAll(async () => {
    site = await createFaultSite('truncated-outbox', { readingsPerPoll: PER_POLL }, { uplinkDown: true }); // the outbox fills
    ({ influx, hub, agent } = site);
  });

  afterAll(() => site?.cleanup());

  it('recovers, reports exactly what was lost, and stores every surviving reading exactly once', { timeout: 120_000 }, async () => {
    dumpLogsOnFailure({ hub: () => hub.output(), agent: () => agent.output() });
    agent.start();
    await waitFor('unacked batches in the outbox', () => outboxRows(outboxFile(agent)).length >= BATCHES || undefined, 60_000, 250);
    expect(await agent.stop()).toBe(0); // clean stop: everything is in outbox.db itself, no WAL

    const file = outboxFile(agent);
    const before = outboxRows(file, true);
    const size = statSync(file).size;
    truncateSync(file, Math.floor(size / 2));

    await hub.start();
    agent.start();
    const event = await waitFor('the outbox-corrupt event at the hub', () =>
      hub.db((db) => {
        const row = db.prepare("select seq, data from agent_events where agent_id = ? and type = 'outbox-corrupt'").get(agent.agentId) as { seq: number; data: string } | undefined;
        return row === undefined ? undefined : ({ seq: row.seq, data: JSON.parse(row.data) as CorruptEvent['data'] } satisfies CorruptEvent);
      }), 60_000, 250);
    const lost = lostRows(before, event.data);
    const maxSeqBefore = Math.max(...before.map((r) => r.seq));
    expect(event.data.recoveredBatches).toBe(before.length - lost.length);
    expect(lost.length).toBeGreaterThan(0);
    expect(event.data.recoveredBatches).toBeGreaterThan(0);
    expect(event.seq).toBeGreaterThan(maxSeqBefore); // seq keeps rising past the damaged file's
    expect(readdirSync(agent.dataDir).some((f) => f === event.data.movedTo)).toBe(true);

    // The agent keeps running and streaming after the repair.
    const producedNow = agent.produced();
    await waitFor('live readings after the repair', () => (agent.produced() >= producedNow + 3 * PER_POLL ? true : undefined), 30_000, 250);
    await waitFor('a telemetry seq above the event', () => (hubLastSeq(hub, agent.agentId) > event.seq ? true : undefined), 30_000, 250);
    expect(agent.running()).toBe(true);
    const expected = agent.produced() - lost.reduce((s, r) => s + r.items, 0);
    await waitFor('the salvaged backlog stored', async () => ((await storedTotal(influx.url, agent.agentId)) >= expected - 3 * PER_POLL ? true : undefined), 60_000, 250);
    expect(await agent.stop()).toBe(0);

    const lostReadings = new Set(lost.filter((r) => r.kind === 'telemetry').flatMap((r) => (JSON.parse(r.body) as Reading[]).map((x) => `${x.component ?? '-'} ${x.at}`)));
    const produced = readJournal(agent);
    const result = await settledComparison(influx.url, agent.agentId, produced, (component, at) => lostReadings.has(`${component} ${at}`));
    // journal − stored = exactly the readings of the batches the event reports lost.
    expect(result).toEqual({ ...EXACTLY_ONCE, tolerated: lostReadings.size });
    expect(lostReadings.size).toBeGreaterThan(0);
  });
});
