/**
 * Network listeners of the embedded broker: MQTT over TCP, MQTT over TLS (when a
 * certificate is configured) and MQTT over WebSocket on the hub's HTTP server. Every
 * socket gets TCP_NODELAY: small QoS 1 messages and acks must not wait for Nagle.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { type AddressInfo, type Server, type Socket, createServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import type { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { HubMetrics } from '../metrics.js';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'port-in-use';
  constructor(
    readonly what: string,
    readonly host: string,
    readonly port: number,
    readonly fix: string,
  ) {
    super(`${what} port ${port} on ${host} is already taken. Fix: ${fix}`);
  }
}

export function listen(server: Server, port: number, host: string, what: string, fix: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(err.code === 'EADDRINUSE' ? new PortInUseError(what, host, port, fix) : err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function createMqttTcpServer(aedes: Aedes, metrics: HubMetrics): Server {
  return createServer({ noDelay: true }, (socket: Socket) => {
    metrics.connections.inc({ transport: 'tcp' });
    aedes.handle(socket);
  });
}

export function createMqttTlsServer(aedes: Aedes, metrics: HubMetrics, tls: { cert: Buffer; key: Buffer }): Server {
  const server = createTlsServer({ cert: tls.cert, key: tls.key }, (socket) => {
    socket.setNoDelay(true);
    metrics.connections.inc({ transport: 'tls' });
    aedes.handle(socket);
  });
  return server;
}

/** Serves MQTT over WebSocket at `path` of an existing HTTP(S) server. */
export function attachMqttWebSocket(aedes: Aedes, metrics: HubMetrics, http: HttpServer, path: string): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== path) return; // other upgrade handlers may claim it
    wss.handleUpgrade(req, socket, head, (ws) => {
      (req.socket as Socket).setNoDelay(true);
      metrics.connections.inc({ transport: 'ws' });
      const stream = createWebSocketStream(ws);
      stream.on('error', () => ws.terminate());
      aedes.handle(stream, req);
    });
  });
  return wss;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
