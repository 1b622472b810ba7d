/**
 * A Transport faked at the seam (STYLE rule 7). `respond` sees every write and returns
 * what the "device" answers, delivered on a later tick as a real link would; tests can
 * also push data or close the link from the peer's side.
 */
import { AgentError } from '../../errors.js';
import { Listeners } from '../listeners.js';
import type { CloseInfo, Transport } from '../types.js';

export interface FakeTransportOptions {
  readonly description?: string;
  /** The device: gets each write, returns its answer (nothing: silence). */
  readonly respond?: (bytes: Uint8Array) => Uint8Array | undefined;
  /** open() rejects with this. */
  readonly openError?: Error;
}

export class FakeTransport implements Transport {
  readonly description: string;
  /** Every write, in order. */
  readonly written: Uint8Array[] = [];
  readonly #options: FakeTransportOptions;
  readonly #data = new Listeners<Uint8Array>();
  readonly #close = new Listeners<CloseInfo>();
  #open = false;

  constructor(options: FakeTransportOptions = {}) {
    this.#options = options;
    this.description = options.description ?? 'fake';
  }

  get isOpen(): boolean {
    return this.#open;
  }

  open(): Promise<void> {
    if (this.#options.openError !== undefined) return Promise.reject(this.#options.openError);
    this.#open = true;
    return Promise.resolve();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.#open) return Promise.reject(new AgentError('transport-closed', `${this.description} is not open`));
    this.written.push(bytes.slice());
    const answer = this.#options.respond?.(bytes);
    if (answer !== undefined && answer.length > 0) setImmediate(() => this.push(answer));
    return Promise.resolve();
  }

  /** Bytes arriving from the device. */
  push(chunk: Uint8Array): void {
    if (this.#open) this.#data.emit(chunk);
  }

  /** The device side drops the link (e.g. a TCP reset). */
  peerClose(error: Error = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })): void {
    this.#end({ byPeer: true, error });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (info: CloseInfo) => void): () => void {
    return this.#close.add(listener);
  }

  close(): Promise<void> {
    this.#end({ byPeer: false });
    return Promise.resolve();
  }

  #end(info: CloseInfo): void {
    if (!this.#open) return;
    this.#open = false;
    this.#close.emit(info);
    this.#data.clear();
    this.#close.clear();
  }
}
