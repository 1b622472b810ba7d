/**
 * TCP transport (NovaStar controllers listen on 5200, the VX Pro series on 15200): one
 * socket, Nagle off so each request leaves at once, a connect timeout, and peer resets
 * reported as such.
 */
import { Socket } from 'node:net';
import { abortReason } from '../abort.js';
import { AgentError } from '../errors.js';
import { Listeners } from './listeners.js';
import type { CloseInfo, Transport } from './types.js';

export interface TcpTransportOptions {
  readonly host: string;
  readonly port: number;
  /** Give up connecting after this many ms (default 3000). */
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 3000;

export class TcpTransport implements Transport {
  readonly description: string;
  readonly #options: TcpTransportOptions;
  readonly #data = new Listeners<Uint8Array>();
  readonly #close = new Listeners<CloseInfo>();
  #socket: Socket | undefined;
  #open = false;
  #closing = false;
  #used = false;

  constructor(options: TcpTransportOptions) {
    this.#options = options;
    this.description = `tcp ${options.host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  open(signal?: AbortSignal): Promise<void> {
    if (this.#used) return Promise.reject(new AgentError('transport-open', `${this.description} was opened before`, 'make a new transport for each connection'));
    this.#used = true;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const timeoutMs = this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const socket = new Socket();
    this.#socket = socket;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new AgentError('transport-open', `no TCP connection to ${this.#where()} within ${timeoutMs} ms`, 'check the controller is powered and its IP address and port')),
        timeoutMs,
      );
      const onAbort = (): void => fail(abortReason(signal as AbortSignal));
      const onError = (err: Error): void =>
        fail(new AgentError('transport-open', `cannot connect to ${this.#where()}: ${err.message}`, 'check the IP address, the port (5200, or 15200 for VX Pro) and the network', { cause: err }));
      const cleanup = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
      };
      function fail(err: Error): void {
        cleanup();
        socket.destroy();
        reject(err);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once('connect', () => {
        cleanup();
        socket.setNoDelay(true);
        this.#attach(socket);
        resolve();
      });
      socket.connect({ host: this.#options.host, port: this.#options.port });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!this.#open || socket === undefined) return Promise.reject(closedError(this.description));
    return new Promise((resolve, reject) => {
      socket.write(bytes, (err) => (err ? reject(new AgentError('transport-closed', `write to ${this.description} failed: ${err.message}`, '', { cause: err })) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (info: CloseInfo) => void): () => void {
    return this.#close.add(listener);
  }

  close(): Promise<void> {
    const socket = this.#socket;
    if (socket === undefined || socket.destroyed) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  #attach(socket: Socket): void {
    this.#open = true;
    let error: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.#data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    socket.on('error', (err) => (error = err));
    socket.once('close', () => {
      this.#open = false;
      const info: CloseInfo = error === undefined ? { byPeer: !this.#closing } : { byPeer: !this.#closing, error };
      this.#close.emit(info);
      this.#data.clear();
      this.#close.clear();
    });
  }

  #where(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }
}

export function closedError(description: string): AgentError {
  return new AgentError('transport-closed', `${description} is not open`, 'open the transport first; after a close, make a new one');
}
