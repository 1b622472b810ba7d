/**
 * Request/response over a Transport: one request in flight (later ones queue), serial
 * numbers mod 256, a timeout per request after which the framer drops any partial frame,
 * and answers matched by serial, device type, direction and address (a late answer to a
 * request that timed out is dropped, not taken for the next one). Raw bytes are logged at
 * trace only, in hex, with their direction.
 */
import { novastar } from '@ledwatch/protocols';
import { abortReason } from '../../abort.js';
import { AgentError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { CloseInfo, Transport } from '../../transport/types.js';

type Frame = novastar.NovaStarFrame;

export const DEFAULT_REQUEST_TIMEOUT_MS = 1000;

export interface NovaStarClientOptions {
  readonly transport: Transport;
  readonly log: Logger;
  /** Per request, ms (default 1000, the vendor's figure). */
  readonly timeoutMs?: number;
  /** The controller's index in its daisy chain (default 0). */
  readonly destination?: number;
  /** Serial number of the first request (default 0). */
  readonly firstSerial?: number;
  /**
   * A close by the other end fails requests with `novastar-reset` (TCP: another client may
   * hold the controller; the default) rather than `transport-closed` (serial: a cable).
   */
  readonly peerCloseIsReset?: boolean;
}

/** Where a read goes: a register of a sending card (port/board 0) or of one receiving card. */
export interface ReadTarget {
  readonly deviceType: number;
  readonly address: number;
  readonly length: number;
  readonly port?: number;
  readonly board?: number;
}

interface Pending {
  readonly request: Frame;
  resolve(frame: Frame): void;
  reject(err: Error): void;
}

export class NovaStarClient {
  readonly transport: Transport;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #destination: number;
  readonly #peerCloseIsReset: boolean;
  readonly #framer = new novastar.NovaStarFramer();
  #serial: number;
  #queue: Promise<unknown> = Promise.resolve();
  #pending: Pending | undefined;
  #closed: AgentError | undefined;

  constructor(options: NovaStarClientOptions) {
    this.transport = options.transport;
    this.#log = options.log;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#destination = options.destination ?? 0;
    this.#peerCloseIsReset = options.peerCloseIsReset ?? true;
    this.#serial = (options.firstSerial ?? 0) & 0xff;
    this.transport.onData((chunk) => this.#onData(chunk));
    this.transport.onClose((info) => this.#onClose(info));
  }

  /** Reads a register; resolves with the response frame whatever its ack (callers decide what ack 1 means). */
  read(target: ReadTarget, signal: AbortSignal): Promise<Frame> {
    return this.#enqueue(
      (serial) =>
        novastar.readRequest({
          serial,
          destination: this.#destination,
          deviceType: target.deviceType,
          port: target.port ?? 0,
          board: target.board ?? 0,
          address: target.address,
          length: target.length,
        }),
      signal,
    );
  }

  /** Reads a register and returns its data; an ack other than 0 rejects with `novastar-nack`. */
  async readData(target: ReadTarget, signal: AbortSignal): Promise<Uint8Array> {
    const response = await this.read(target, signal);
    if (response.ack !== 0) throw nackError(response);
    return response.data;
  }

  /** Closes the transport; requests in flight or queued reject with `transport-closed`. */
  close(): Promise<void> {
    return this.transport.close();
  }

  #enqueue(build: (serial: number) => Frame, signal: AbortSignal): Promise<Frame> {
    const run = (): Promise<Frame> => this.#send(build, signal);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #send(build: (serial: number) => Frame, signal: AbortSignal): Promise<Frame> {
    if (signal.aborted) throw abortReason(signal);
    if (this.#closed !== undefined) throw this.#closed;
    const request = build(this.#serial);
    this.#serial = (this.#serial + 1) & 0xff;
    const bytes = novastar.encodeFrame(request);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#dropPartial();
        finish(undefined, new AgentError('novastar-timeout', `no answer from ${this.transport.description} within ${this.#timeoutMs} ms (${describe(request)})`, 'check the cable, the baud rate and that the controller is powered'));
      }, this.#timeoutMs);
      const onAbort = (): void => finish(undefined, abortReason(signal));
      const finish = (frame: Frame | undefined, err?: Error): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.#pending?.request === request) this.#pending = undefined;
        if (err !== undefined) reject(err);
        else resolve(frame as Frame);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending = { request, resolve: (frame) => finish(frame), reject: (err) => finish(undefined, err) };
      this.#log.trace({ dir: 'tx', hex: novastar.toHex(bytes) }, 'novastar bytes');
      this.transport.write(bytes).catch((err: unknown) => {
        // A failed write usually means the link is closing: let its close event name the cause first.
        setImmediate(() => finish(undefined, this.#closed ?? (err instanceof Error ? err : new Error(String(err)))));
      });
    });
  }

  #onData(chunk: Uint8Array): void {
    this.#log.trace({ dir: 'rx', hex: novastar.toHex(chunk) }, 'novastar bytes');
    for (const event of this.#framer.push(chunk)) {
      if (event.type === 'error') {
        this.#log.debug({ code: event.error.code, skipped: event.skipped, err: event.error.message }, 'novastar framing error');
        continue;
      }
      const pending = this.#pending;
      if (pending !== undefined && answers(pending.request, event.frame)) pending.resolve(event.frame);
      else this.#log.debug({ serial: event.frame.serial, address: event.frame.address }, 'dropped a frame that answers no request in flight');
    }
  }

  #dropPartial(): void {
    for (const event of this.#framer.flush()) {
      if (event.type === 'error') this.#log.debug({ code: event.error.code, skipped: event.skipped }, 'dropped a partial frame after a timeout');
    }
  }

  #onClose(info: CloseInfo): void {
    const why = info.error === undefined ? '' : `: ${info.error.message}`;
    this.#closed = info.byPeer && this.#peerCloseIsReset
      ? new AgentError('novastar-reset', `${this.transport.description} was closed by the controller${why}`, 'another client (e.g. NovaLCT) may hold the controller; it serves one at a time', info.error === undefined ? undefined : { cause: info.error })
      : new AgentError('transport-closed', `${this.transport.description} was closed${info.byPeer ? ` by the other end${why}` : ''}`, info.byPeer ? 'check the cable and the USB-serial adapter' : '');
    this.#pending?.reject(this.#closed);
  }
}

function answers(request: Frame, response: Frame): boolean {
  return (
    response.head === 'response' &&
    response.serial === request.serial &&
    response.deviceType === request.deviceType &&
    response.direction === request.direction &&
    response.address === request.address
  );
}

export function describe(frame: Frame): string {
  return `${frame.direction} deviceType ${frame.deviceType} port ${frame.port} board ${frame.board} address 0x${frame.address.toString(16).padStart(8, '0')}`;
}

export function nackError(response: Frame): AgentError {
  return new AgentError('novastar-nack', `the controller answered ack ${response.ack} (${novastar.ackMeaning(response.ack)}) to ${describe(response)}`, 'see the NovaStar ack codes: 1 card missing, 2/3 checksum, 4 invalid command');
}
