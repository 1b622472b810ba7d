/**
 * Loopback peers for the netcheck tests: a TCP listener, a port nobody listens on, and an
 * HTTP(S) server that can answer with any status, slowly, or fall silent (accept and never
 * answer). Every server tracks its
 * open connections, so tests can see the checks hang up.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

export interface LoopbackServer {
  port: number;
  /** Resolves once no connection is open (a client hung up), or rejects after `ms`. */
  drained(ms?: number): Promise<void>;
  close(): Promise<void>;
}

export interface HttpTestServer extends LoopbackServer {
  url: string;
  /** Status of the next answers; 200 by default. */
  status: number;
  /** Delay before answering, in ms. */
  delayMs: number;
  /** `METHOD path` of every request received. */
  readonly requests: string[];
  /** Accept connections (and TLS handshakes) but never answer a request. */
  silence(): void;
}

async function listen(server: Server): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('loopback server has no port');
  return {
    port: address.port,
    async drained(ms = 1000) {
      const deadline = Date.now() + ms;
      while (sockets.size > 0) {
        if (Date.now() > deadline) throw new Error(`${sockets.size} connection(s) still open after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP server on 127.0.0.1 that accepts connections and closes them. */
export function startTcpServer(): Promise<LoopbackServer> {
  return listen(createTcpServer((socket) => socket.end()));
}

/** A loopback port that was free a moment ago: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = await listen(createTcpServer());
  await server.close();
  return server.port;
}

/** An HTTP server on 127.0.0.1, or HTTPS with `tls` (PEM key and certificate). */
export async function startHttpServer(tls?: { key: string; cert: string }): Promise<HttpTestServer> {
  let silent = false;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    state.requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (silent) return;
    const answer = (): void => void res.writeHead(state.status, { 'content-type': 'text/plain' }).end('hello\n');
    if (state.delayMs > 0) setTimeout(answer, state.delayMs);
    else answer();
  };
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  server.on('tlsClientError', () => undefined);
  const base = await listen(server);
  const state: HttpTestServer = Object.assign(base, {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${base.port}/health`,
    status: 200,
    delayMs: 0,
    requests: [],
    silence: () => {
      silent = true;
    },
  });
  return state;
}
