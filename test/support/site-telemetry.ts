/**
 * Real telemetry for tests that read it back (Grafana queries): a simulated site on
 * loopback polled by the agent's own drivers (novastar, modbus, snmp, host, netcheck),
 * the readings turned into points the way ingest does (toTelemetryPoints) and written
 * through the hub's telemetry store. Every agent given polls the same simulated equipment
 * under its own customer/site/agent tags.
 */
import { pino } from 'pino';
import { resolveAgentConfig, type DeviceConfig } from '../../agent/src/config.js';
import { builtinDrivers } from '../../agent/src/drivers/builtin.js';
import type { Driver } from '../../agent/src/drivers/types.js';
import { resolveSiteConfig } from '../../agent/src/simulate/site-config.js';
import { type RunningSite, type SiteFault, startSite } from '../../agent/src/simulate/site.js';
import { toTelemetryPoints, type TelemetryPoint, type TelemetryStore } from '../../hub/src/telemetry/index.js';
import { freePort } from './services.js';

export interface SiteOwner {
  customerId: string;
  siteId: string;
  agentId: string;
}

export interface SiteTelemetry {
  site: RunningSite;
  /** Top-level device ids every agent polls. */
  deviceIds: string[];
  /** Polls every device of every agent once and writes the readings; returns the points written. */
  pollOnce(): Promise<TelemetryPoint[]>;
  inject(f: SiteFault): void;
  clear(f: SiteFault): void;
  close(): Promise<void>;
}

/** Faults that make every state and counter the dashboards show appear in the data. */
export const DASHBOARD_FAULTS: readonly SiteFault[] = [
  { device: 'ctrl-1', fault: { kind: 'card-missing', port: 0, card: 2 } },
  { device: 'ctrl-1', fault: { kind: 'card-over-temperature', port: 1, card: 0 } },
  { device: 'ctrl-1', fault: { kind: 'redundancy-backup', port: 1 } },
  { device: 'ctrl-1', fault: { kind: 'fan-stopped', port: 0, card: 1, fan: 2 } },
  { device: 'ctrl-1', fault: { kind: 'door-open', port: 0, card: 1, door: 0 } },
  { device: 'ctrl-1', fault: { kind: 'ribbon-error', port: 1, card: 1, bits: [5, 6] } },
  { device: 'psu-1', fault: { kind: 'psu-under-voltage' } },
  { device: 'ups-1', fault: { kind: 'ups-on-battery' } },
];

export async function startSiteTelemetry(store: TelemetryStore, owners: readonly SiteOwner[]): Promise<SiteTelemetry> {
  const site = await startSite(
    resolveSiteConfig({
      controllers: [{ id: 'ctrl-1', ports: 2, cardsPerPort: 3 }],
      modbus: [{ id: 'psu-1', profile: 'led-psu-generic' }],
      ups: [{ id: 'ups-1' }],
      pollIntervalS: 1,
    }),
  );
  const closedPort = await freePort(); // nothing listens there: a target that is down
  const modbusPort = (site.devices.find((d) => d.id === 'psu-1')?.options as { port: number }).port;
  const devices: DeviceConfig[] = [
    // A controller serves one client at a time: each agent lets go of it after its poll.
    ...site.devices.map((d) => (d.kind === 'novastar' ? { ...d, options: { ...d.options, releaseBetweenPolls: true } } : d)),
    { id: 'host', kind: 'host', pollIntervalS: 1 },
    {
      id: 'net',
      kind: 'netcheck',
      pollIntervalS: 1,
      options: {
        targets: [
          { name: 'psu-link', type: 'tcp', host: '127.0.0.1', port: modbusPort },
          { name: 'cms', type: 'tcp', host: '127.0.0.1', port: closedPort, timeoutMs: 500 },
        ],
      },
    },
  ];
  const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const agents = owners.map((owner) => {
    const registry = builtinDrivers(); // one per agent process, as on site
    const config = resolveAgentConfig({ agentId: owner.agentId, secret: 'x', hub: { url: 'mqtt://127.0.0.1:1' }, devices }, { registry });
    const drivers: Driver[] = config.devices.map((device) =>
      registry.get(device.kind).create({ device, options: device.options ?? {}, log: log.child({ device: device.id }), now: Date.now }),
    );
    return { owner, drivers };
  });

  return {
    site,
    deviceIds: devices.map((d) => d.id),
    async pollOnce() {
      const points: TelemetryPoint[] = [];
      for (const { owner, drivers } of agents) {
        for (const driver of drivers) points.push(...toTelemetryPoints(owner, await driver.poll(AbortSignal.timeout(5000))));
      }
      const result = await store.write(points);
      if (result.rejected > 0) throw new Error(`the telemetry store rejected ${result.rejected} of ${points.length} points`);
      return points;
    },
    inject: (f) => site.inject(f),
    clear: (f) => site.clear(f),
    async close() {
      for (const { drivers } of agents) await Promise.all(drivers.map((d) => d.close()));
      await site.close();
    },
  };
}
