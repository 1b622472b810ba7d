/**
 * A net-snmp agent on a loopback UDP port, for the SNMP simulators: picks a free port,
 * adds the v2c community and v3 users, and can fall silent (datagrams are dropped unread,
 * as from a device that lost power) and speak again without changing port.
 *
 * net-snmp's agent treats port 0 as 161, so the port is chosen here: bind a socket to 0,
 * note its port, close it, and start the agent on it (retrying if someone took it between).
 */
import { createSocket, type Socket } from 'node:dgram';
import { netSnmp, type NetSnmpAgent, type NetSnmpMib, type NetSnmpUser } from '../../drivers/snmp/net-snmp.js';

export interface SimulatorUser {
  name: string;
  /** Default sha (when authKey is given). */
  authProtocol?: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  /** With authKey the user is authNoPriv; with privKey too, authPriv. */
  authKey?: string;
  /** Default aes (when privKey is given). */
  privProtocol?: 'aes' | 'des' | 'aes256b' | 'aes256r';
  privKey?: string;
}

export interface SnmpAgentHostOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** v2c community; default public. */
  community?: string;
  /** SNMPv3 users the agent accepts. */
  users?: readonly SimulatorUser[];
}

export interface SnmpAgentHost {
  readonly port: number;
  readonly mib: NetSnmpMib;
  /** While silent, requests are dropped without an answer. */
  setSilent(silent: boolean): void;
  /** Closes the socket; idempotent. */
  close(): Promise<void>;
}

const PORT_ATTEMPTS = 5;

function userOf(u: SimulatorUser): NetSnmpUser {
  const { SecurityLevel, AuthProtocols, PrivProtocols } = netSnmp;
  if (u.authKey === undefined) return { name: u.name, level: SecurityLevel.noAuthNoPriv };
  const auth = { authProtocol: AuthProtocols[u.authProtocol ?? 'sha'] ?? 0, authKey: u.authKey };
  if (u.privKey === undefined) return { name: u.name, level: SecurityLevel.authNoPriv, ...auth };
  return { name: u.name, level: SecurityLevel.authPriv, ...auth, privProtocol: PrivProtocols[u.privProtocol ?? 'aes'] ?? 0, privKey: u.privKey };
}

/** A UDP port free on `host` right now (bound to 0, noted, released). */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.bind(0, host, resolve);
  });
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(resolve));
  return port;
}

async function listen(host: string, port: number): Promise<{ agent: NetSnmpAgent; socket: Socket }> {
  let socket: Socket | undefined;
  const agent = netSnmp.createAgent(
    {
      port,
      address: host,
      disableAuthorization: false,
      dgramModule: {
        createSocket: (type) => {
          socket = createSocket(type);
          return socket;
        },
      },
    },
    () => undefined, // refused communities and users: a real agent says nothing either
  );
  const s = socket;
  if (s === undefined) throw new Error('net-snmp agent did not create its socket through dgramModule');
  await new Promise<void>((resolve, reject) => {
    s.once('listening', resolve);
    s.once('error', reject);
  });
  return { agent, socket: s };
}

export async function startSnmpAgentHost(options: SnmpAgentHostOptions = {}): Promise<SnmpAgentHost> {
  const host = options.host ?? '127.0.0.1';
  const pick = options.port === undefined || options.port === 0;
  let started: { agent: NetSnmpAgent; socket: Socket } | undefined;
  for (let attempt = 1; started === undefined; attempt++) {
    try {
      started = await listen(host, pick ? await freeUdpPort(host) : (options.port ?? 0));
    } catch (err) {
      const inUse = (err as { code?: unknown }).code === 'EADDRINUSE';
      if (!inUse || !pick || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
  const { agent, socket } = started;
  const authorizer = agent.getAuthorizer();
  authorizer.addCommunity(options.community ?? 'public');
  for (const user of options.users ?? []) authorizer.addUser(userOf(user));

  let held: ((...args: unknown[]) => void)[] = [];
  let closed: Promise<void> | undefined;
  return {
    port: socket.address().port,
    mib: agent.getMib(),
    setSilent(silent) {
      if (silent && held.length === 0) {
        held = socket.listeners('message') as ((...args: unknown[]) => void)[];
        socket.removeAllListeners('message');
      } else if (!silent) {
        for (const listener of held) socket.on('message', listener);
        held = [];
      }
    },
    close() {
      closed ??= new Promise<void>((resolve) => agent.close(() => resolve()));
      return closed;
    },
  };
}
