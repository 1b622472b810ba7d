/**
 * One Modbus connection — a serial port (an RS-485 bus) or a TCP socket (a device or a
 * gateway) — shared by every device on it, with one request in flight at a time: Modbus
 * RTU has no way to tell two answers apart, and gateways serve one request at a time.
 *
 *   - Requests queue in order. A caller that aborts leaves the queue at once; a request
 *     already on the wire keeps the bus until it is answered or times out, so a late
 *     answer can never be taken for the next request's.
 *   - The connection opens on the first request. After a timeout, a garbled answer or a
 *     broken link it is dropped and reopened on the next request (a clean receive
 *     buffer, a fresh socket). A failed open is retried with exponential backoff; inside
 *     the backoff window requests fail at once with the last open error.
 *   - Errors are typed: `exception` (ModbusError, with the exception name), `modbus-timeout`,
 *     `modbus-frame`, `transport-open`, `transport-closed`, `driver-closed`.
 */
import { modbus } from '@ledwatch/protocols';
import modbusSerial from 'modbus-serial';
import { abortReason, raceAbort } from '../../abort.js';
import { Backoff } from '../../backoff.js';
import { AgentError, errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import { busKey, type BusEndpoint } from './options.js';
import { openHint, toRequestError, type BlockRequest } from './request-errors.js';

type Client = InstanceType<typeof modbusSerial.default>;

export interface ModbusBusOptions {
  /** Shortest wait before reopening after a failed open, ms (default 500). */
  reconnectMinMs?: number;
  /** Longest wait, ms (default 30000). */
  reconnectMaxMs?: number;
}

/** Extra time past a request's own timeout before the bus gives up on modbus-serial. */
const GUARD_MS = 250;

export class ModbusBus {
  readonly endpoint: BusEndpoint;
  readonly key: string;
  readonly #backoff: Backoff;
  #client: Client | undefined;
  /** Fails the request on the wire when the port or socket closes under it. */
  #onLost: ((err: Error) => void) | undefined;
  #retryAt = 0;
  #lastOpenError: AgentError | undefined;
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(endpoint: BusEndpoint, opts: ModbusBusOptions = {}) {
    this.endpoint = endpoint;
    this.key = busKey(endpoint);
    this.#backoff = new Backoff(opts.reconnectMinMs ?? 500, opts.reconnectMaxMs ?? 30_000);
  }

  /** Reads one block: u16 values for registers, booleans for coils and discrete inputs. */
  read(request: BlockRequest, signal: AbortSignal, log: Logger): Promise<(number | boolean)[]> {
    if (this.#closed) return Promise.reject(this.#closedError());
    return this.#exclusive(signal, () => this.#readNow(request, log));
  }

  /** Drops the connection; later reads fail with `driver-closed`. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#drop();
  }

  #exclusive<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release = (): void => undefined;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    const run = previous.then(() => {
      if (signal.aborted) throw abortReason(signal); // gave up while waiting: skip the request
      if (this.#closed) throw this.#closedError();
      return work();
    });
    run.then(release, release);
    return raceAbort(run, signal);
  }

  async #readNow(request: BlockRequest, log: Logger): Promise<(number | boolean)[]> {
    const client = await this.#connected(request.timeoutMs, log);
    const { unitId, block, timeoutMs } = request;
    client.setID(unitId);
    client.setTimeout(timeoutMs);
    log.trace({ dir: 'tx', bus: this.key, unitId, function: block.function, address: block.address, quantity: block.quantity }, 'modbus read');
    const lost = new Promise<never>((_, reject) => (this.#onLost = reject));
    try {
      const { data } = await guard(Promise.race([send(client, block), lost]), timeoutMs + GUARD_MS);
      const values = modbus.isBitFunction(block.function) ? data.slice(0, block.quantity) : data;
      log.trace({ dir: 'rx', bus: this.key, unitId, values }, 'modbus answer');
      return values;
    } catch (err) {
      const typed = toRequestError(err, request, this.endpoint);
      // An exception is a proper answer; anything else leaves the link in doubt.
      if (typed.code !== 'exception') await this.#drop();
      throw typed;
    } finally {
      this.#onLost = undefined;
    }
  }

  async #connected(timeoutMs: number, log: Logger): Promise<Client> {
    if (this.#client?.isOpen === true) return this.#client;
    await this.#drop();
    const wait = this.#retryAt - Date.now();
    if (wait > 0 && this.#lastOpenError !== undefined) {
      const last = this.#lastOpenError;
      throw new AgentError('transport-open', `${last.message} (next attempt in ${wait} ms)`, last.hint);
    }
    const client = new modbusSerial.default();
    client.on('error', (err) => log.warn({ bus: this.key, err: errorMessage(err) }, 'modbus connection error'));
    client.setTimeout(timeoutMs); // also bounds a TCP connect
    try {
      await guard(open(client, this.endpoint), timeoutMs + GUARD_MS);
    } catch (err) {
      await closeClient(client, this.endpoint).catch(() => undefined);
      this.#retryAt = Date.now() + this.#backoff.next();
      this.#lastOpenError = new AgentError('transport-open', `cannot open ${this.key}: ${errorMessage(err)}`, openHint(err, this.endpoint), { cause: err });
      log.warn({ bus: this.key, err: errorMessage(err) }, 'cannot open modbus connection');
      throw this.#lastOpenError;
    }
    if (this.#closed) {
      await closeClient(client, this.endpoint);
      throw this.#closedError();
    }
    this.#backoff.reset();
    this.#lastOpenError = undefined;
    this.#client = client;
    client.on('close', () => {
      if (this.#client === client) this.#onLost?.(new Error(`${this.key} closed by the other end`));
    });
    log.info({ bus: this.key }, 'modbus connection open');
    return client;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (client !== undefined) await closeClient(client, this.endpoint).catch(() => undefined);
  }

  #closedError(): AgentError {
    return new AgentError('driver-closed', `the modbus connection ${this.key} is closed`, 'the driver was closed; create a new one');
  }
}

function open(client: Client, endpoint: BusEndpoint): Promise<void> {
  if (endpoint.transport === 'tcp') return client.connectTCP(endpoint.host, { port: endpoint.port });
  const { baudRate, parity, dataBits, stopBits } = endpoint;
  return client.connectRTUBuffered(endpoint.path, { baudRate, parity, dataBits, stopBits });
}

function send(client: Client, block: BlockRequest['block']): Promise<{ data: (number | boolean)[] }> {
  switch (block.function) {
    case 'holding':
      return client.readHoldingRegisters(block.address, block.quantity);
    case 'input':
      return client.readInputRegisters(block.address, block.quantity);
    case 'coil':
      return client.readCoils(block.address, block.quantity);
    case 'discrete':
      return client.readDiscreteInputs(block.address, block.quantity);
  }
}

/**
 * Closes a client. TCP: destroy (close waits for a FIN that a dead peer never sends);
 * serial: close, which releases the port lock. Bounded, as a wedged port must not hang stop.
 */
function closeClient(client: Client, endpoint: BusEndpoint): Promise<void> {
  const done = new Promise<void>((resolve) => {
    if (endpoint.transport === 'tcp') client.destroy(() => resolve());
    else client.close(() => resolve());
  });
  return guard(done, 2000).catch(() => undefined);
}

/** Settles with `work`, or rejects with a timeout marker after `ms`. */
function guard<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('Timed out'), { errno: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
