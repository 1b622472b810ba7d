/**
 * Simulated Modbus power supplies and sensors for tests, demos and site rehearsals:
 *
 *   const sim = await startModbusSimulator({ transport: 'tcp', port: 0 }, { profile: 'led-psu-generic' });
 *   sim.inject({ kind: 'psu-under-voltage', outputVoltageV: 4.1 });
 *
 * One endpoint may carry several devices (an RS-485 bus, a TCP gateway), each with its own
 * unit id: {@link startModbusBusSimulator}. TCP is served with modbus-serial's `ServerTCP`,
 * RTU with protocols' codec on the serial port (see rtu-server.ts for why).
 */
import type { MetricValue } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';
import { SimulatedModbusDevice, type SimulatedDeviceSpec } from './device.js';
import type { ModbusFault, ModbusFaultKind } from './faults.js';
import { serveRtu, type RunningServer } from './rtu-server.js';
import { serveTcp } from './tcp-server.js';

export type SimulatorEndpoint =
  | { readonly transport: 'tcp'; readonly host?: string; readonly port?: number }
  | { readonly transport: 'rtu'; readonly path: string; readonly baudRate?: number };

/** One simulated device on a running endpoint. */
export interface SimulatedUnit {
  readonly unitId: number;
  readonly device: SimulatedModbusDevice;
  set(metric: string, value: MetricValue): void;
  inject(fault: ModbusFault): void;
  /** Clears one fault, or all of them when none is named. */
  clear(fault?: ModbusFault | ModbusFaultKind): void;
  /** The values the device shows now, faults included. */
  values(): Record<string, MetricValue>;
}

export interface ModbusSimulator extends SimulatedUnit {
  /** The TCP port listened on (for port 0: the one chosen); absent for RTU. */
  readonly port?: number;
  close(): Promise<void>;
}

export interface ModbusBusSimulator {
  readonly port?: number;
  readonly units: ReadonlyMap<number, SimulatedUnit>;
  /** The device with this unit id; throws when there is none. */
  unit(unitId: number): SimulatedUnit;
  close(): Promise<void>;
}

type TcpEndpoint = Extract<SimulatorEndpoint, { transport: 'tcp' }>;

/** Starts one simulated device on a TCP port or a serial port. */
export function startModbusSimulator(endpoint: TcpEndpoint, spec: SimulatedDeviceSpec): Promise<ModbusSimulator & { readonly port: number }>;
export function startModbusSimulator(endpoint: SimulatorEndpoint, spec: SimulatedDeviceSpec): Promise<ModbusSimulator>;
export async function startModbusSimulator(endpoint: SimulatorEndpoint, spec: SimulatedDeviceSpec): Promise<ModbusSimulator> {
  const bus = await startModbusBusSimulator(endpoint, [spec]);
  const [unit] = bus.units.values();
  if (unit === undefined) throw new Error('unreachable: a bus of one device has one unit');
  const sim: ModbusSimulator = { ...unit, close: () => bus.close() };
  return bus.port === undefined ? sim : { ...sim, port: bus.port };
}

/** Starts several simulated devices, distinct unit ids, on one endpoint. */
export function startModbusBusSimulator(endpoint: TcpEndpoint, specs: readonly SimulatedDeviceSpec[]): Promise<ModbusBusSimulator & { readonly port: number }>;
export function startModbusBusSimulator(endpoint: SimulatorEndpoint, specs: readonly SimulatedDeviceSpec[]): Promise<ModbusBusSimulator>;
export async function startModbusBusSimulator(endpoint: SimulatorEndpoint, specs: readonly SimulatedDeviceSpec[]): Promise<ModbusBusSimulator> {
  const devices = new Map<number, SimulatedModbusDevice>();
  for (const spec of specs) {
    const device = new SimulatedModbusDevice(spec);
    if (devices.has(device.unitId)) {
      throw new AgentError('modbus-simulator', `two simulated devices have unit id ${device.unitId}`, 'give every device on one endpoint its own unit id');
    }
    devices.set(device.unitId, device);
  }
  const units = new Map([...devices].map(([id, device]) => [id, unitOf(device)]));
  let server: RunningServer & { port?: number };
  if (endpoint.transport === 'tcp') {
    const opts = endpoint.host === undefined ? {} : { host: endpoint.host };
    server = await serveTcp(devices, endpoint.port === undefined ? opts : { ...opts, port: endpoint.port });
  } else {
    server = await serveRtu(devices, endpoint.baudRate === undefined ? { path: endpoint.path } : { path: endpoint.path, baudRate: endpoint.baudRate });
  }
  let closing: Promise<void> | undefined;
  const bus: ModbusBusSimulator = {
    units,
    unit(unitId) {
      const unit = units.get(unitId);
      if (unit === undefined) throw new AgentError('modbus-simulator', `no simulated device has unit id ${unitId}`, `use one of: ${[...units.keys()].join(', ')}`);
      return unit;
    },
    close: () => (closing ??= server.close()),
  };
  return server.port === undefined ? bus : { ...bus, port: server.port };
}

function unitOf(device: SimulatedModbusDevice): SimulatedUnit {
  return {
    unitId: device.unitId,
    device,
    set: (metric, value) => device.set(metric, value),
    inject: (fault) => device.inject(fault),
    clear: (fault) => device.clear(fault),
    values: () => device.values(),
  };
}
