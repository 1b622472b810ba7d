/**
 * A simulated NovaStar controller on TCP: the pure NovaStarSimulator answers the bytes,
 * this wraps it in a server. Like the real device it serves one control client at a
 * time: while one client holds the slot (ClientLock), any other client's connection is
 * reset — exactly how NovaLCT holding the controller looks to the agent.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { novastar } from '@ledwatch/protocols';

export interface NovaStarTcpSimulatorOptions {
  /** Default: a fresh simulator (an MCTRL660 Pro, 2 ports × 8 cards). */
  readonly sim?: novastar.NovaStarSimulator;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** The holder loses the slot after this much silence, ms (default 30 s, as ClientLock). */
  readonly idleReleaseMs?: number;
  readonly now?: () => number;
  /** When given, the simulator's drift clock follows it (live demo charts move); tests leave it out. */
  readonly clock?: () => number;
}

export interface NovaStarTcpSimulator {
  readonly host: string;
  readonly port: number;
  readonly sim: novastar.NovaStarSimulator;
  /** While true, requests are read and dropped: the controller is powered but silent. */
  muted: boolean;
  /** Connections refused (reset) because another client held the slot. */
  readonly refused: number;
  /** Connections open now. */
  readonly clients: number;
  /** Resets every open connection, keeping the server up. */
  dropClients(): void;
  /** Stops listening and resets every connection; idempotent. */
  close(): Promise<void>;
}

export async function startNovaStarTcpSimulator(options: NovaStarTcpSimulatorOptions = {}): Promise<NovaStarTcpSimulator> {
  const sim = options.sim ?? new novastar.NovaStarSimulator();
  const lock = new novastar.ClientLock(options.idleReleaseMs === undefined ? {} : { idleReleaseMs: options.idleReleaseMs });
  const now = options.now ?? Date.now;
  const sockets = new Set<Socket>();
  let next = 0;
  let refused = 0;
  const server: Server = createServer((socket) => {
    const id = `client-${++next}`;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      lock.release(id);
    });
    socket.on('error', () => undefined); // a reset peer; 'close' follows
    const holds = (): boolean => {
      const wasHolder = lock.holder(now()) === id;
      if (!lock.claim(id, now()).granted) return false;
      if (!wasHolder) sim.resetStream(); // a new client: forget a partial frame of the last one
      return true;
    };
    if (!holds()) {
      refused++;
      socket.resetAndDestroy();
      return;
    }
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (!holds()) {
        refused++;
        socket.resetAndDestroy();
        return;
      }
      if (api.muted) return;
      if (options.clock !== undefined) sim.tick(options.clock());
      const answer = sim.handleBytes(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
      if (answer.length > 0) socket.write(answer);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  const api: NovaStarTcpSimulator = {
    host,
    port,
    sim,
    muted: false,
    get refused() {
      return refused;
    },
    get clients() {
      return sockets.size;
    },
    dropClients() {
      for (const socket of sockets) socket.resetAndDestroy();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        api.dropClients();
      });
      return closing;
    },
  };
  return api;
}
