/**
 * Test helpers for inspections: an SNTP responder on loopback whose clock runs `skewMs`
 * ahead of (or behind) the real one, the way a test plants a skewed NTP server.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { sntpReply } from './sntp.js';

export interface SntpResponder {
  port: number;
  /** Requests answered. */
  answered: number;
  close(): Promise<void>;
}

export async function startSntpResponder(opts: { skewMs: number; host?: string }): Promise<SntpResponder> {
  const socket = createSocket('udp4');
  const state = { answered: 0 };
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 48) return;
    state.answered++;
    socket.send(sntpReply(msg, Date.now() + opts.skewMs), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (socket.address() as AddressInfo).port;
  return {
    port,
    get answered() {
      return state.answered;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
