/**
 * Serial transport: a `serialport` port by path, 8N1, no flow control (NovaStar sending
 * cards: 115200 baud for MSD300/MCTRL300/MCTRL500, 1 048 576 for MSD600/MCTRL600/
 * MCTRL660). Ports are configured by path: `SerialPort.list()` needs udev.
 */
import { SerialPort } from 'serialport';
import { abortReason } from '../abort.js';
import { AgentError } from '../errors.js';
import { Listeners } from './listeners.js';
import { closedError } from './tcp.js';
import type { CloseInfo, Transport } from './types.js';

export interface SerialTransportOptions {
  /** e.g. /dev/ttyUSB0 (a CP210x bridge on an MCTRL300), /dev/serial/by-id/… */
  readonly path: string;
  readonly baudRate: number;
}

export class SerialTransport implements Transport {
  readonly description: string;
  readonly #options: SerialTransportOptions;
  readonly #data = new Listeners<Uint8Array>();
  readonly #close = new Listeners<CloseInfo>();
  #port: SerialPort | undefined;
  #closing = false;

  constructor(options: SerialTransportOptions) {
    this.#options = options;
    this.description = `serial ${options.path} @ ${options.baudRate}`;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen ?? false;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.#port !== undefined) throw new AgentError('transport-open', `${this.description} was opened before`, 'make a new transport for each connection');
    if (signal?.aborted) throw abortReason(signal);
    const { path, baudRate } = this.#options;
    const port = new SerialPort({ path, baudRate, autoOpen: false, dataBits: 8, parity: 'none', stopBits: 1, rtscts: false, xon: false, xoff: false });
    this.#port = port;
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err === null || err === undefined) return resolve();
        reject(new AgentError('transport-open', `cannot open ${this.description}: ${err.message}`, 'check the port path, that no other program has it open, and the user may access it (group dialout)', { cause: err }));
      });
    });
    let error: Error | undefined;
    port.on('data', (chunk: Buffer) => this.#data.emit(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
    port.on('error', (err: Error) => (error = err));
    port.once('close', (err: Error | null) => {
      const cause = err ?? error;
      this.#close.emit(cause === undefined ? { byPeer: !this.#closing } : { byPeer: !this.#closing, error: cause });
      this.#data.clear();
      this.#close.clear();
    });
    if (signal?.aborted) {
      await this.close();
      throw abortReason(signal);
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (port?.isOpen !== true) return Promise.reject(closedError(this.description));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => (err ? reject(new AgentError('transport-closed', `write to ${this.description} failed: ${err.message}`, '', { cause: err })) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (info: CloseInfo) => void): () => void {
    return this.#close.add(listener);
  }

  close(): Promise<void> {
    const port = this.#port;
    if (port?.isOpen !== true) return Promise.resolve();
    this.#closing = true;
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
