/**
 * Answers NovaStar UDP discovery like a controller: a datagram `rqProMI:` gets
 * `rpProMI:<model name>,<model id as 4 hex digits>` back to the sender. Real devices
 * answer on port 3800; tests bind a free loopback port.
 */
import { createSocket, type Socket } from 'node:dgram';
import { novastar } from '@ledwatch/protocols';
import { DISCOVERY_REPLY_PREFIX, DISCOVERY_REQUEST } from '../../drivers/novastar/discovery.js';

export interface NovaStarDiscoveryResponderOptions {
  readonly sim: novastar.NovaStarSimulator;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port (3800 on a real device). */
  readonly port?: number;
}

export interface NovaStarDiscoveryResponder {
  readonly host: string;
  readonly port: number;
  /** Requests answered. */
  readonly answered: number;
  close(): Promise<void>;
}

export function discoveryReply(sim: novastar.NovaStarSimulator): string {
  const { modelId } = sim.model.sendingCard;
  const name = novastar.modelName(novastar.DEVICE_TYPE.sendingCard, modelId) ?? 'NovaStar';
  return `${DISCOVERY_REPLY_PREFIX}${name},${modelId.toString(16).padStart(4, '0')}`;
}

export async function startNovaStarDiscoveryResponder(options: NovaStarDiscoveryResponderOptions): Promise<NovaStarDiscoveryResponder> {
  const socket: Socket = createSocket('udp4');
  let answered = 0;
  socket.on('message', (message, from) => {
    if (message.toString('latin1') !== DISCOVERY_REQUEST) return;
    answered++;
    socket.send(discoveryReply(options.sim), from.port, from.address);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  let closing: Promise<void> | undefined;
  return {
    host,
    port: socket.address().port,
    get answered() {
      return answered;
    },
    close: () => (closing ??= new Promise<void>((resolve) => socket.close(() => resolve()))),
  };
}
