/**
 * Configuration facts: the agent's device list and, per NovaStar controller, a snapshot
 * of what the driver last read (brightness, inputs, redundancy, receiving cards per port)
 * with the model and firmware from the inventory. The hub diffs it against the approved
 * baseline. A controller's TCP control port (5200, no authentication) is reported with
 * whether it is reached over the site network.
 */
import type { ControllerSnapshot, InspectFacts, InventoryDevice, Reading } from '@ledwatch/protocols';
import type { DeviceConfig } from '../config.js';

const INPUT_METRICS: Record<string, string> = { input3gSdi: '3G-SDI', inputHdmi: 'HDMI', inputDvi1: 'DVI1', inputDvi2: 'DVI2', inputDvi3: 'DVI3', inputDvi4: 'DVI4', inputDp: 'DP' };

export interface ConfigurationSources {
  devices: readonly DeviceConfig[];
  configVersion: number;
  inventory: readonly InventoryDevice[];
  /** Latest reading per device id (own component). */
  readings: ReadonlyMap<string, Reading>;
}

export function collectConfiguration(src: ConfigurationSources): InspectFacts['configuration'] {
  return {
    agent: {
      devices: src.devices.slice(0, 500).map((d) => ({ id: d.id, kind: d.kind, pollIntervalS: d.pollIntervalS })),
      configVersion: src.configVersion,
    },
    controllers: src.devices.filter((d) => d.kind === 'novastar').slice(0, 200).map((d) => controllerSnapshot(d, src)),
  };
}

function controllerSnapshot(device: DeviceConfig, src: ConfigurationSources): ControllerSnapshot {
  const inv = src.inventory.find((i) => i.id === device.id);
  const reading = src.readings.get(device.id);
  const snap: ControllerSnapshot = { device: device.id, reachable: reading !== undefined && reading.state !== 'unreachable' && reading.state !== 'held' };
  const model = inv?.model ?? str(reading?.metrics.model);
  if (model !== undefined) snap.model = model;
  const firmware = inv?.firmware ?? str(reading?.metrics.fpgaVersion);
  if (firmware !== undefined) snap.firmware = firmware;
  if (reading !== undefined) snap.readAt = reading.at;
  if (reading !== undefined && snap.reachable) {
    const m = reading.metrics;
    const cards = [...src.readings.values()].filter((r) => r.device.startsWith(`${device.id}/p`));
    const cardsPerPort: Record<string, number> = {};
    const levels: number[] = [];
    for (const c of cards) {
      const match = /\/p(\d+)\/c(\d+)$/.exec(c.device);
      if (match === null) continue;
      const port = match[1] as string;
      cardsPerPort[port] ??= 0;
      if (c.state !== 'missing' && c.state !== 'unreachable') cardsPerPort[port]++;
      if (typeof c.metrics.brightness === 'number') levels.push(c.metrics.brightness);
    }
    const redundancy = Object.keys(m)
      .map((k) => /^port(\d+)Backup$/.exec(k))
      .filter((x): x is RegExpExecArray => x !== null)
      .map((x) => ({ port: Number(x[1]), backup: m[x[0]] === true }));
    snap.config = {
      inputs: Object.entries(INPUT_METRICS).filter(([metric]) => m[metric] === true).map(([, name]) => name),
      redundancy,
      cardsPerPort,
      ...(str(m.selectedInputName) ? { selectedInput: str(m.selectedInputName) as string } : {}),
      ...brightness(levels),
    };
  }
  const o = device.options ?? {};
  if (o.transport === 'tcp' && typeof o.host === 'string') {
    snap.controlPort = { host: o.host, port: typeof o.port === 'number' ? o.port : 5200, lan: !isLoopback(o.host) };
  }
  return snap;
}

function brightness(levels: number[]): { brightness?: number; brightnessMixed?: boolean } {
  if (levels.length === 0) return {};
  const counts = new Map<number, number>();
  for (const l of levels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const [mode] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] as [number, number];
  return { brightness: mode, brightnessMixed: counts.size > 1 };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, 128) : undefined);
