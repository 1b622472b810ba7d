/**
 * A simulated LED site: NovaStar controllers, Modbus PSUs/sensors and SNMP UPSes on
 * loopback, plus the agent device list that reads them. Used by `ledwatch-agent
 * simulate`, the `npm start` demo, end-to-end tests and benchmarks.
 */
import { novastar } from '@ledwatch/protocols';
import type { DeviceConfig } from '../config.js';
import type { Logger } from '../log.js';
import { startModbusSimulator, type ModbusFault, type ModbusSimulator } from '../simulators/modbus/index.js';
import { startNovaStarSerialSimulator, startNovaStarTcpSimulator } from '../simulators/novastar/index.js';
import { startUpsSimulator, type UpsSimulator } from '../simulators/snmp/index.js';
import { openPtyPair, type PtyPair } from './pty.js';
import type { SiteConfig } from './site-config.js';

/** A fault on one simulated device: NovaStar card/controller faults, Modbus and UPS faults. */
export type SiteFault =
  | { device: string; fault: novastar.Fault }
  | { device: string; fault: ModbusFault }
  | { device: string; fault: { kind: 'ups-on-battery' | 'ups-low-battery' | 'ups-silent' } };

export interface RunningSite {
  /** Agent devices that read this site (paste under `devices:` in agent.yaml). */
  devices: DeviceConfig[];
  controllers: Map<string, novastar.NovaStarSimulator>;
  inject(f: SiteFault): void;
  clear(f: SiteFault): void;
  close(): Promise<void>;
}

export async function startSite(config: SiteConfig, log?: Logger): Promise<RunningSite> {
  const closers: (() => Promise<void>)[] = [];
  const devices: DeviceConfig[] = [];
  const controllers = new Map<string, novastar.NovaStarSimulator>();
  const modbusSims = new Map<string, ModbusSimulator>();
  const upsSims = new Map<string, UpsSimulator>();
  const poll = { pollIntervalS: config.pollIntervalS };
  try {
    for (const c of config.controllers) {
      const sim = new novastar.NovaStarSimulator({ model: novastar.createControllerModel({ ports: c.ports, cardsPerPort: c.cardsPerPort }) });
      controllers.set(c.id, sim);
      if (c.transport === 'tcp') {
        const tcp = await startNovaStarTcpSimulator({ sim, host: config.host, port: c.port });
        closers.push(() => tcp.close());
        devices.push({ id: c.id, kind: 'novastar', ...poll, options: { transport: 'tcp', host: config.host, port: tcp.port, ports: c.ports } });
      } else {
        const pty: PtyPair = await openPtyPair();
        closers.push(() => pty.close());
        const serial = await startNovaStarSerialSimulator({ sim, path: pty.b });
        closers.push(() => serial.close());
        devices.push({ id: c.id, kind: 'novastar', ...poll, options: { transport: 'serial', path: pty.a, baudRate: 115200, ports: c.ports } });
      }
    }
    for (const m of config.modbus) {
      const sim = await startModbusSimulator({ transport: 'tcp', host: config.host, port: m.port }, { profile: m.profile, unitId: m.unitId });
      modbusSims.set(m.id, sim);
      closers.push(() => sim.close());
      devices.push({ id: m.id, kind: 'modbus', ...poll, options: { transport: 'tcp', host: config.host, port: sim.port, unitId: m.unitId, profile: m.profile } });
    }
    for (const u of config.ups) {
      const sim = await startUpsSimulator({ host: config.host, port: u.port, community: u.community });
      upsSims.set(u.id, sim);
      closers.push(() => sim.close());
      devices.push({ id: u.id, kind: 'snmp', ...poll, options: { host: config.host, port: sim.port, community: u.community, profile: 'ups-mib' } });
    }
  } catch (err) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw err;
  }
  log?.info({ devices: devices.map((d) => d.id) }, 'simulated site running');

  const dispatch = (f: SiteFault, on: boolean): void => {
    const ctrl = controllers.get(f.device);
    const mb = modbusSims.get(f.device);
    const ups = upsSims.get(f.device);
    if (ctrl) {
      if (on) ctrl.inject(f.fault as novastar.Fault);
      else ctrl.clear(f.fault as novastar.Fault);
    } else if (mb) {
      if (on) mb.inject(f.fault as ModbusFault);
      else mb.clear(f.fault as ModbusFault);
    } else if (ups) {
      const kind = (f.fault as { kind: 'ups-on-battery' | 'ups-low-battery' | 'ups-silent' }).kind;
      if (on) ups.inject({ kind });
      else ups.clear(kind);
    } else {
      throw new Error(`no simulated device ${f.device} on this site`);
    }
    log?.info({ device: f.device, fault: f.fault, on }, on ? 'fault injected' : 'fault cleared');
  };

  return {
    devices,
    controllers,
    inject: (f) => dispatch(f, true),
    clear: (f) => dispatch(f, false),
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}
