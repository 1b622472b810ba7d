/**
 * Fault: InfluxDB is SIGKILLed mid-stream and stays down until the hub's write buffer is
 * full and backpressure holds ingest (a small influx.maxBufferedPoints makes that quick),
 * then comes back on the same port and data. Two agents stream meanwhile, so writes from
 * both wait for room. Nobody restarts the hub or the agents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../support/influxd.js';
import { serviceAvailable, waitFor } from '../../support/services.js';
import {
  type AgentProcess,
  type HubProcess,
  EXACTLY_ONCE,
  countsOf,
  createAgent,
  createHub,
  dumpLogsOnFailure,
  killInfluxd,
  outboxFile,
  outboxRows,
  readJournal,
  settledComparison,
  storedCounts,
  storedTotal,
} from './harness.js';

const PER_POLL = 100;
const MAX_BUFFERED = 150;
const BUFFERED = 'ledwatch_telemetry_buffered_points{store="influx"}';
const RETRIES = 'ledwatch_telemetry_write_retries_total{store="influx"}';

describe.skipIf(!serviceAvailable('influxd', 'influxdb'))('InfluxDB killed mid-stream until backpressure engages', () => {
  let influx: RunningInfluxd;
  let hub: HubProcess;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    influx = await startInfluxd();
    hub = await createHub({
      influxUrl: influx.url,
      // A small buffer fills within seconds; retries every ≤ 2 s find InfluxDB back soon.
      env: { LEDWATCH_INFLUX_MAX_BUFFERED_POINTS: String(MAX_BUFFERED), LEDWATCH_INFLUX_RETRY_MAX_DELAY_MS: '2000' },
    });
    await hub.start();
    for (const name of ['influx-outage-a', 'influx-outage-b']) {
      const creds = await hub.provision(name);
      const agent = createAgent({ ...creds, mqttUrl: hub.mqttUrl, readingsPerPoll: PER_POLL });
      agents.push(agent);
      agent.start();
    }
  });

  afterAll(async () => {
    for (const agent of agents) await agent.cleanup();
    await hub?.cleanup();
    await influx?.stop();
  });

  it('holds the readings in the agents while the buffer is full, then stores every one exactly once', { timeout: 120_000 }, async () => {
    dumpLogsOnFailure({ hub: () => hub.output(), ...Object.fromEntries(agents.map((a) => [a.agentId, () => a.output()])), influxd: () => influx.output() });
    const stored = async () => {
      let sum = 0;
      for (const a of agents) sum += await storedTotal(influx.url, a.agentId);
      return sum;
    };
    for (const a of agents) {
      await waitFor(`a steady stream from ${a.agentId}`, async () => ((await storedTotal(influx.url, a.agentId)) >= 3 * PER_POLL ? true : undefined), 60_000, 250);
    }
    const pids = agents.map((a) => a.pid());

    await killInfluxd(influx);
    let peakBuffered = 0;
    const peak = await waitFor('the buffer to reach its bound and the agents to hold batches', async () => {
      peakBuffered = Math.max(peakBuffered, (await hub.metric(BUFFERED)) ?? 0);
      const held = agents.map((a) => outboxRows(outboxFile(a)).filter((r) => r.kind === 'telemetry').length);
      return peakBuffered >= MAX_BUFFERED && held.every((n) => n >= 5) ? { buffered: peakBuffered, held } : undefined;
    }, 60_000, 200);
    // The gauge counts the points held plus those of a write waiting for room: backpressure.
    expect(peak.buffered).toBeGreaterThanOrEqual(MAX_BUFFERED);
    expect(await hub.metric(RETRIES)).toBeGreaterThan(0);
    // Acked is stored: nothing the outage caught was acked, so the agents still hold it.
    expect(Math.min(...peak.held)).toBeGreaterThanOrEqual(5);

    await influx.restart();
    const before = await stored();
    await waitFor('writes to resume', async () => ((await stored()) > before + 2 * PER_POLL ? true : undefined), 60_000, 250);
    await waitFor('the agents to catch up', async () => {
      const behind = agents.map((a) => outboxRows(outboxFile(a)).filter((r) => r.kind === 'telemetry').length);
      return behind.every((n) => n <= 3) ? true : undefined;
    }, 60_000, 250);
    expect(agents.map((a) => a.pid())).toEqual(pids);
    expect(agents.every((a) => a.running() && a.starts === 1)).toBe(true);
    expect(hub.running()).toBe(true);
    expect(hub.starts).toBe(1);

    for (const a of agents) expect(await a.stop()).toBe(0);
    for (const a of agents) {
      const produced = readJournal(a);
      expect(await settledComparison(influx.url, a.agentId, produced)).toEqual(EXACTLY_ONCE);
      expect(await storedCounts(influx.url, a.agentId)).toEqual(countsOf(produced));
      expect(a.output()).not.toContain('telemetry batch lost');
    }
  });
});
