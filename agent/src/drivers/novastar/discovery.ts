/**
 * NovaStar UDP discovery: the ASCII datagram `rqProMI:` to port 3800 (broadcast, or the
 * multicast group 224.224.125.119, on site); controllers answer `rpProMI:` followed by
 * comma-separated fields (e.g. `rpProMI:App,0161`). The caller names the targets — this
 * function never picks a broadcast address by itself. Some devices answer to port 3800
 * rather than to the sender's port: bind `localPort: 3800` to hear them.
 */
import { createSocket } from 'node:dgram';
import { abortReason } from '../../abort.js';

export const NOVASTAR_DISCOVERY_PORT = 3800;
export const NOVASTAR_DISCOVERY_MULTICAST = '224.224.125.119';
export const DISCOVERY_REQUEST = 'rqProMI:';
export const DISCOVERY_REPLY_PREFIX = 'rpProMI:';

export interface DiscoveryTarget {
  readonly host: string;
  /** Default 3800. */
  readonly port?: number;
}

export interface DiscoverOptions {
  readonly targets: readonly DiscoveryTarget[];
  /** How long to collect replies, ms (default 1000). */
  readonly timeoutMs?: number;
  /** Local port to send from and listen on (default 0: any free port). */
  readonly localPort?: number;
  readonly signal?: AbortSignal;
}

export interface DiscoveredController {
  /** Where the reply came from. */
  readonly address: string;
  readonly port: number;
  /** The reply after `rpProMI:`, trailing NULs and whitespace removed. */
  readonly text: string;
  /** `text` split at commas. */
  readonly fields: readonly string[];
  /** The first field, when there is one (a name, e.g. the model or "App"). */
  readonly name?: string;
}

/** A reply's content, or undefined when the datagram is not a discovery reply. */
export function parseDiscoveryReply(message: Uint8Array): Pick<DiscoveredController, 'text' | 'fields' | 'name'> | undefined {
  const raw = Buffer.from(message).toString('latin1');
  if (!raw.startsWith(DISCOVERY_REPLY_PREFIX)) return undefined;
  const text = raw.slice(DISCOVERY_REPLY_PREFIX.length).replace(/[\0\s]+$/, '');
  const fields = text === '' ? [] : text.split(',').map((f) => f.trim());
  const name = fields[0];
  return name === undefined || name === '' ? { text, fields } : { text, fields, name };
}

/** Sends one request to each target and collects the replies until the timeout (one per address and port). */
export async function discoverNovaStar(options: DiscoverOptions): Promise<DiscoveredController[]> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const found = new Map<string, DiscoveredController>();
  socket.on('message', (message, from) => {
    const reply = parseDiscoveryReply(message);
    if (reply !== undefined) found.set(`${from.address}:${from.port}`, { address: from.address, port: from.port, ...reply });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.localPort ?? 0, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => undefined); // e.g. an ICMP unreachable: that target just does not answer
    socket.setBroadcast(true);
    const request = Buffer.from(DISCOVERY_REQUEST, 'latin1');
    for (const target of options.targets) {
      await new Promise<void>((resolve, reject) => socket.send(request, target.port ?? NOVASTAR_DISCOVERY_PORT, target.host, (err) => (err ? reject(err) : resolve())));
    }
    await wait(options.timeoutMs ?? 1000, options.signal);
    return [...found.values()];
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
