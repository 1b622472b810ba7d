/**
 * Opens a NovaStarClient the way the options say: TCP, serial at a fixed baud rate, or
 * serial with the baud auto-probe (the rate that worked last time is tried first).
 */
import type { Logger } from '../../log.js';
import { SerialTransport } from '../../transport/serial.js';
import { TcpTransport } from '../../transport/tcp.js';
import type { Transport } from '../../transport/types.js';
import { NOVASTAR_BAUD_RATES, probeBaud } from './baud.js';
import { NovaStarClient } from './client.js';
import type { NovaStarOptions } from './options.js';

export type Connector = (signal: AbortSignal) => Promise<NovaStarClient>;

/** The options that pick and open the link. */
export type LinkOptions = Pick<NovaStarOptions, 'transport' | 'host' | 'port' | 'path' | 'baudRate' | 'destination' | 'requestTimeoutMs' | 'connectTimeoutMs'>;

export interface ConnectorDeps {
  readonly log: Logger;
  /** Makes the transport; the real TCP or serial one by default (tests inject fakes). */
  readonly transport?: (baudRate: number | undefined) => Transport;
}

/** Call with options that passed `assertNovaStarOptions`. */
export function createConnector(options: LinkOptions, deps: ConnectorDeps): Connector {
  const makeTransport = deps.transport ?? ((baudRate) => realTransport(options, baudRate));
  const client = { log: deps.log, timeoutMs: options.requestTimeoutMs, destination: options.destination, peerCloseIsReset: options.transport === 'tcp' };
  let lastBaud: number | undefined;
  return async (signal) => {
    if (options.transport === 'serial' && options.baudRate === 'auto') {
      const rates = lastBaud === undefined ? NOVASTAR_BAUD_RATES : [lastBaud, ...NOVASTAR_BAUD_RATES.filter((r) => r !== lastBaud)];
      const found = await probeBaud({ open: makeTransport, baudRates: rates, client, where: options.path ?? 'the serial port', signal });
      lastBaud = found.baudRate;
      return found.client;
    }
    const transport = makeTransport(options.transport === 'serial' && options.baudRate !== 'auto' ? options.baudRate : undefined);
    await transport.open(signal);
    return new NovaStarClient({ ...client, transport });
  };
}

function realTransport(options: LinkOptions, baudRate: number | undefined): Transport {
  if (options.transport === 'tcp') {
    return new TcpTransport({ host: options.host ?? '', port: options.port, connectTimeoutMs: options.connectTimeoutMs });
  }
  return new SerialTransport({ path: options.path ?? '', baudRate: baudRate ?? NOVASTAR_BAUD_RATES[0] ?? 115200 });
}
