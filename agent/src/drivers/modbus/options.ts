/**
 * Options of the `modbus` driver. The schema checks each key at config load; the rules
 * between keys (host for tcp, path for rtu, exactly one profile) are checked when the
 * driver is created, all at once, in one `modbus-options` error.
 *
 * Serial settings and the unit id fall back to the profile's `defaults`, then to
 * 9600 8N1 and unit 1, so they carry no schema defaults that would hide the profile's.
 */
import { modbus } from '@ledwatch/protocols';
import { Type, type Static } from 'typebox';
import type { DeviceConfig } from '../../config.js';
import { AgentError } from '../../errors.js';
import { loadProfileFile } from './profile-file.js';

export const ModbusOptionsSchema = Type.Object(
  {
    transport: Type.Union([Type.Literal('tcp'), Type.Literal('rtu')], { description: 'tcp: Modbus TCP (MBAP); rtu: Modbus RTU on a serial port (RS-485)' }),
    host: Type.Optional(Type.String({ minLength: 1, description: 'tcp: address of the device or gateway' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'tcp: port, default 502' })),
    path: Type.Optional(Type.String({ minLength: 1, description: 'rtu: serial port path, e.g. /dev/ttyUSB0; devices on one path share the bus' })),
    baudRate: Type.Optional(Type.Integer({ minimum: 300, maximum: 921600, description: "rtu: default the profile's, else 9600" })),
    parity: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { description: "rtu: default the profile's, else none" })),
    dataBits: Type.Optional(Type.Union([Type.Literal(7), Type.Literal(8)], { description: "rtu: default the profile's, else 8" })),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2)], { description: "rtu: default the profile's, else 1" })),
    unitId: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 255, description: "Modbus unit (slave) address; default the profile's, else 1 (0 only for TCP devices addressed directly)" }),
    ),
    profile: Type.Optional(Type.String({ minLength: 1, description: `a shipped profile: ${[...modbus.SHIPPED_PROFILES.keys()].join(', ')}` })),
    profileFile: Type.Optional(Type.String({ minLength: 1, description: "path of a YAML or JSON profile of the site's own, relative to the agent's working directory" })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60000, default: 1000, description: 'how long to wait for each answer, in ms' })),
  },
  { additionalProperties: false },
);
export type ModbusOptions = Static<typeof ModbusOptionsSchema>;

export interface SerialSettings {
  readonly baudRate: number;
  readonly parity: 'none' | 'even' | 'odd';
  readonly dataBits: 7 | 8;
  readonly stopBits: 1 | 2;
}

export type BusEndpoint =
  | { readonly transport: 'tcp'; readonly host: string; readonly port: number }
  | ({ readonly transport: 'rtu'; readonly path: string } & SerialSettings);

/** Everything a driver needs, with every default applied. */
export interface ModbusDeviceSetup {
  readonly endpoint: BusEndpoint;
  readonly unitId: number;
  readonly profile: modbus.ModbusProfile;
  readonly timeoutMs: number;
}

/** A reading carries at most 256 metrics; one is kept for `error`. */
const MAX_METRICS = 255;

const ONLY_FOR: Record<'tcp' | 'rtu', readonly (keyof ModbusOptions)[]> = {
  tcp: ['path', 'baudRate', 'parity', 'dataBits', 'stopBits'],
  rtu: ['host', 'port'],
};

/**
 * Checks the rules between keys and loads the profile. Throws `modbus-options` listing
 * every problem, or the profile's own error (`unknown-profile`, `invalid-profile`).
 */
export function resolveModbusSetup(device: DeviceConfig, o: ModbusOptions): ModbusDeviceSetup {
  const problems: string[] = [];
  if (o.transport === 'tcp' && o.host === undefined) problems.push('options.host: is required for transport tcp');
  if (o.transport === 'rtu' && o.path === undefined) problems.push('options.path: is required for transport rtu');
  for (const key of ONLY_FOR[o.transport]) {
    if (o[key] !== undefined) problems.push(`options.${key}: is not used with transport ${o.transport}; remove it`);
  }
  if ((o.profile === undefined) === (o.profileFile === undefined)) {
    problems.push('options.profile: give either profile (a shipped one) or profileFile (a file of your own), not both or neither');
  }
  if (problems.length > 0) throw optionsError(device, problems);
  const profile = o.profileFile !== undefined ? loadProfileFile(o.profileFile) : modbus.shippedProfile(o.profile ?? '');
  const d = profile.defaults ?? {};
  const unitId = o.unitId ?? d.unitId ?? 1;
  if (o.transport === 'rtu' && unitId === 0) problems.push('options.unitId: 0 is the RTU broadcast address, which no device answers; give the device address (1..247)');
  if (profile.registers.length > MAX_METRICS) {
    problems.push(`options.profile: profile "${profile.name}" has ${profile.registers.length} metrics, a reading carries at most ${MAX_METRICS}; split it into several devices`);
  }
  if (problems.length > 0) throw optionsError(device, problems);
  const endpoint: BusEndpoint =
    o.transport === 'tcp'
      ? { transport: 'tcp', host: o.host ?? '', port: o.port ?? 502 }
      : {
          transport: 'rtu',
          path: o.path ?? '',
          baudRate: o.baudRate ?? d.baudRate ?? 9600,
          parity: o.parity ?? d.parity ?? 'none',
          dataBits: o.dataBits ?? d.dataBits ?? 8,
          stopBits: o.stopBits ?? d.stopBits ?? 1,
        };
  return { endpoint, unitId, profile, timeoutMs: o.timeoutMs ?? 1000 };
}

function optionsError(device: DeviceConfig, problems: readonly string[]): AgentError {
  return new AgentError(
    'modbus-options',
    `modbus device ${device.id} is misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    'fix the listed keys under the device options',
  );
}

/** `tcp://host:port` or `rtu:/dev/ttyUSB0`: devices with the same key share one connection. */
export function busKey(endpoint: BusEndpoint): string {
  return endpoint.transport === 'tcp' ? `tcp://${endpoint.host}:${endpoint.port}` : `rtu:${endpoint.path}`;
}

/** `9600 8N1`, for messages. */
export function describeSerial(s: SerialSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]?.toUpperCase() ?? 'N'}${s.stopBits}`;
}
