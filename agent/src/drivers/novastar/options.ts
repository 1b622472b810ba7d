/**
 * Options of the `novastar` driver (TypeBox: the type and the schema cannot drift). What a
 * schema cannot say clearly — `host` is needed for tcp, `path` for serial — is checked by
 * {@link novastarOptionIssues}, which names the key and the fix.
 */
import { Type, type Static } from 'typebox';
import { AgentError } from '../../errors.js';

export const NOVASTAR_TCP_PORT = 5200;
/** The VX Pro series listens here instead. */
export const NOVASTAR_VX_PRO_TCP_PORT = 15200;

export const NovaStarOptionsSchema = Type.Object(
  {
    transport: Type.Union([Type.Literal('tcp'), Type.Literal('serial')], { description: 'tcp (controllers with an Ethernet control port) or serial (RS232 / USB)' }),
    host: Type.Optional(Type.String({ minLength: 1, description: 'controller IP address or host name; required for transport tcp' })),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: NOVASTAR_TCP_PORT, description: 'TCP port: 5200, or 15200 for the VX Pro series' }),
    path: Type.Optional(Type.String({ minLength: 1, description: 'serial port, e.g. /dev/ttyUSB0; required for transport serial' })),
    baudRate: Type.Union([Type.Literal(115200), Type.Literal(1048576), Type.Literal('auto')], {
      default: 'auto',
      description: '115200 (MSD300/MCTRL300/MCTRL500), 1048576 (MSD600/MCTRL600/MCTRL660), or auto to probe both',
    }),
    destination: Type.Integer({ minimum: 0, maximum: 254, default: 0, description: 'index of the controller in its daisy chain' }),
    ports: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, description: 'output ports to scan for receiving cards; default from the model (4 when unknown)' })),
    maxCardsPerPort: Type.Integer({ minimum: 1, maximum: 1024, default: 64, description: 'highest number of receiving cards looked for on one port' }),
    stopAfterMissing: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'card enumeration on a port stops after this many positions in a row answer "no card" past the last card found',
    }),
    requestTimeoutMs: Type.Integer({ minimum: 50, maximum: 30000, default: 1000, description: 'wait for each answer, ms' }),
    connectTimeoutMs: Type.Integer({ minimum: 50, maximum: 60000, default: 3000, description: 'wait for a TCP connection, ms' }),
    monitoringLength: Type.Union([Type.Literal(82), Type.Literal(256)], {
      default: 82,
      description: 'bytes read from each monitoring block: 82 (all that is used) or 256 (as the vendor tool reads)',
    }),
    versionsEveryS: Type.Integer({ minimum: 1, default: 86400, description: 're-read model and FPGA versions this often, s' }),
    enumerateEveryPolls: Type.Integer({ minimum: 1, default: 10, description: 'look for added cards every this many polls' }),
    heldAfterResets: Type.Integer({ minimum: 1, default: 3, description: 'connection resets that mean another client (e.g. NovaLCT) holds the controller' }),
    heldWindowS: Type.Integer({ minimum: 1, default: 120, description: '…counted within this many seconds' }),
    releaseBetweenPolls: Type.Boolean({
      default: false,
      description: 'close the link after each poll, so an engineer can connect NovaLCT between polls (the controller serves one client at a time)',
    }),
    reconnectMinMs: Type.Integer({ minimum: 0, default: 1000, description: 'shortest wait before reconnecting after a failure, ms' }),
    reconnectMaxMs: Type.Integer({ minimum: 0, default: 60000, description: 'longest wait before reconnecting, ms' }),
  },
  { additionalProperties: false },
);
export type NovaStarOptions = Static<typeof NovaStarOptionsSchema>;

export interface OptionIssue {
  readonly key: string;
  readonly message: string;
  readonly fix: string;
}

/** Checks the schema cannot express; [] when the options are usable. */
export function novastarOptionIssues(options: NovaStarOptions): OptionIssue[] {
  const issues: OptionIssue[] = [];
  if (options.transport === 'tcp' && options.host === undefined) {
    issues.push({ key: 'host', message: 'is required when transport is tcp', fix: 'set host to the controller IP address, e.g. 192.168.0.10' });
  }
  if (options.transport === 'serial' && options.path === undefined) {
    issues.push({ key: 'path', message: 'is required when transport is serial', fix: 'set path to the serial port, e.g. /dev/ttyUSB0' });
  }
  if (options.transport === 'tcp' && options.path !== undefined) {
    issues.push({ key: 'path', message: 'is for transport serial only', fix: 'remove path, or set transport: serial' });
  }
  if (options.transport === 'serial' && options.host !== undefined) {
    issues.push({ key: 'host', message: 'is for transport tcp only', fix: 'remove host, or set transport: tcp' });
  }
  if (options.reconnectMinMs > options.reconnectMaxMs) {
    issues.push({ key: 'reconnectMinMs', message: `is larger than reconnectMaxMs (${options.reconnectMinMs} > ${options.reconnectMaxMs})`, fix: 'make reconnectMinMs at most reconnectMaxMs' });
  }
  return issues;
}

/** Throws a `novastar-options` AgentError listing every issue. */
export function assertNovaStarOptions(options: NovaStarOptions, where = 'novastar options'): void {
  const issues = novastarOptionIssues(options);
  if (issues.length === 0) return;
  throw new AgentError(
    'novastar-options',
    `${where}: ${issues.map((i) => `${i.key} ${i.message}`).join('; ')}`,
    issues.map((i) => i.fix).join('; '),
  );
}
