/**
 * Fault: the broker restarts mid-stream. With the embedded broker that is the hub restart
 * (hub-killed.test.ts); here the hub runs on an external Mosquitto (configured as the
 * README asks: no queue limits) that is restarted on its port while the hub and the agent
 * keep running — once as a crash without persistence (every session and in-flight message
 * gone), once as a clean restart with persistence (sessions kept).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningInfluxd, startInfluxd } from '../../support/influxd.js';
import { serviceAvailable, waitFor } from '../../support/services.js';
import {
  type AgentProcess,
  type HubProcess,
  type RestartableMosquitto,
  EXACTLY_ONCE,
  countsOf,
  createAgent,
  createHub,
  createMosquitto,
  dumpLogsOnFailure,
  readJournal,
  settledComparison,
  storedCounts,
  storedTotal,
} from './harness.js';

const PER_POLL = 20;
const available = serviceAvailable('influxd', 'influxdb') && serviceAvailable('mosquitto', 'mosquitto');

function describeRestart(title: string, how: { persistent: boolean; signal: 'SIGKILL' | 'SIGTERM' }): void {
  describe.skipIf(!available)(title, () => {
    let influx: RunningInfluxd;
    let mosquitto: RestartableMosquitto;
    let hub: HubProcess;
    let agent: AgentProcess;

    beforeAll(async () => {
      influx = await startInfluxd();
      mosquitto = await createMosquitto({ persistent: how.persistent });
      await mosquitto.start();
      hub = await createHub({ influxUrl: influx.url, env: { LEDWATCH_MQTT_EXTERNAL_URL: mosquitto.url } });
      await hub.start();
      const creds = await hub.provision('broker-restart');
      agent = createAgent({ ...creds, mqttUrl: mosquitto.url, readingsPerPoll: PER_POLL });
      agent.start();
    });

    afterAll(async () => {
      await agent?.cleanup();
      await hub?.cleanup();
      await mosquitto?.cleanup();
      await influx?.stop();
    });

    it('stores every reading exactly once, with hub and agent reconnecting by themselves', { timeout: 120_000 }, async () => {
      dumpLogsOnFailure({ hub: () => hub.output(), agent: () => agent.output(), mosquitto: () => mosquitto.output() });
      const stored = () => storedTotal(influx.url, agent.agentId);
      await waitFor('a steady stream through Mosquitto', async () => ((await stored()) >= 3 * PER_POLL ? true : undefined), 60_000, 250);
      const agentPid = agent.pid();

      await mosquitto.kill(how.signal);
      const producedAtKill = agent.produced();
      await waitFor('both sides to notice the broker is gone', () =>
        hub.output().includes('external broker unreachable') && agent.output().includes('lost the hub connection') ? true : undefined, 30_000, 100);
      await waitFor('readings produced while the broker is down', () => agent.produced() >= producedAtKill + 3 * PER_POLL || undefined, 30_000, 100);
      const before = await stored();
      await mosquitto.start();

      await waitFor('the stream to resume', async () => ((await stored()) > before + 3 * PER_POLL ? true : undefined), 60_000, 250);
      const producedBeforeStop = agent.produced();
      await waitFor('the stored count to reach what was produced', async () => ((await stored()) >= producedBeforeStop ? true : undefined), 20_000, 250).catch(
        () => undefined, // the comparison below says what is missing
      );
      expect(hub.running()).toBe(true);
      expect(hub.starts).toBe(1);
      expect(agent.pid()).toBe(agentPid);
      expect(agent.starts).toBe(1);

      expect(await agent.stop()).toBe(0);
      const produced = readJournal(agent);
      // Batches the restarted broker dropped must be sent again, never acked past by a later seq.
      expect(await settledComparison(influx.url, agent.agentId, produced), 'the journal against InfluxDB').toEqual(EXACTLY_ONCE);
      expect(await storedCounts(influx.url, agent.agentId)).toEqual(countsOf(produced));
      expect(agent.output()).not.toContain('telemetry batch lost');
    });
  });
}

describeRestart('an external Mosquitto that crashes mid-stream and comes back without its sessions', {
  persistent: false,
  signal: 'SIGKILL',
  // The crashed broker drops the batches in flight to the hub; the next ones name them as
  // their `prev`, so the hub holds its ack until the agent sends them again.
});
describeRestart('an external Mosquitto restarted cleanly mid-stream, with persistence', { persistent: true, signal: 'SIGTERM' });
