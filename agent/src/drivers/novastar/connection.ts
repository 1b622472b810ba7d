/**
 * Keeps one NovaStarClient connected across polls: connects on demand, waits out a
 * backoff after a failure or a reset (so a held controller is not hammered), counts the
 * controller's connection resets (→ held by another client), and tells the driver when a
 * connection is new so it identifies the controller again.
 */
import { AgentError, errorMessage } from '../../errors.js';
import { Backoff } from '../../backoff.js';
import type { Logger } from '../../log.js';
import type { NovaStarClient } from './client.js';
import type { Connector } from './connect.js';
import { HeldTracker, type HeldTrackerOptions } from './held.js';

export interface ConnectionOptions {
  readonly connect: Connector;
  readonly log: Logger;
  readonly now: () => number;
  readonly held?: HeldTrackerOptions;
  /**
   * Count the controller's closes as signs that another client holds it (TCP). A serial
   * link has one client by nature: there a close means a cable or adapter problem.
   */
  readonly trackHeld: boolean;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
}

export interface Connected {
  readonly client: NovaStarClient;
  /** A new connection since the last call: identify the controller again. */
  readonly fresh: boolean;
}

export class NovaStarConnection {
  readonly held: HeldTracker;
  readonly #options: ConnectionOptions;
  readonly #backoff: Backoff;
  #client: NovaStarClient | undefined;
  #nextAttemptAt = 0;
  #lastError: Error | undefined;
  #failing = false;
  #closed = false;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.held = new HeldTracker(options.held ?? {});
    this.#backoff = new Backoff(options.reconnectMinMs, options.reconnectMaxMs);
  }

  /** Whether a connect attempt is allowed at `now` (the backoff has run out). */
  mayConnect(now: number): boolean {
    return this.#client !== undefined || now >= this.#nextAttemptAt;
  }

  async client(signal: AbortSignal): Promise<Connected> {
    if (this.#closed) throw new AgentError('driver-closed', 'the NovaStar connection is closed');
    const current = this.#client;
    if (current?.transport.isOpen === true) return { client: current, fresh: false };
    const now = this.#options.now();
    if (now < this.#nextAttemptAt) {
      const last = this.#lastError;
      const code = last instanceof AgentError ? last.code : 'transport-closed';
      throw new AgentError(code, `${last === undefined ? 'not connected' : errorMessage(last)}; next attempt in ${Math.ceil((this.#nextAttemptAt - now) / 1000)} s`);
    }
    let client: NovaStarClient;
    try {
      client = await this.#options.connect(signal);
    } catch (err) {
      if (signal.aborted) throw err;
      const error = resetAtConnect(err) && this.#options.trackHeld ? this.#reset(err as Error) : err instanceof Error ? err : new Error(String(err));
      this.#failed(error);
      throw error;
    }
    if (this.#closed) {
      await client.close();
      throw new AgentError('driver-closed', 'the NovaStar connection was closed while connecting');
    }
    client.transport.onClose((info) => {
      if (this.#client === client) this.#client = undefined;
      if (!info.byPeer) return;
      const cause = info.error ?? new Error(`${client.transport.description} was closed by the other end`);
      this.#failed(
        this.#options.trackHeld
          ? this.#reset(cause)
          : new AgentError('transport-closed', `${client.transport.description} closed: ${errorMessage(cause)}`, 'check the cable and the USB-serial adapter', { cause }),
      );
    });
    this.#client = client;
    this.#options.log.debug({ link: client.transport.description }, 'connected to the NovaStar controller');
    return { client, fresh: true };
  }

  /** A request was answered: the link works, the controller is ours. */
  answered(): void {
    if (this.#failing) this.#options.log.info('NovaStar controller answers again');
    this.#failing = false;
    this.held.answered();
    this.#backoff.reset();
  }

  /** Drops the current link (e.g. after a timeout left the stream in doubt); the next poll reconnects. */
  async drop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.drop();
  }

  /** The controller reset the link: one more sign that another client holds it. */
  #reset(err: Error): AgentError {
    this.held.reset(this.#options.now());
    return new AgentError('novastar-reset', `the controller reset the connection: ${errorMessage(err)}`, 'another client (e.g. NovaLCT) may hold the controller; it serves one at a time', { cause: err });
  }

  #failed(err: Error): void {
    this.#lastError = err;
    const delay = this.#backoff.next();
    this.#nextAttemptAt = this.#options.now() + delay;
    const line = { err: errorMessage(err), retryInMs: delay, held: this.held.held };
    if (this.#failing) this.#options.log.debug(line, 'NovaStar link failed again');
    else this.#options.log.warn(line, 'NovaStar link failed');
    this.#failing = true;
  }
}

/** A connect that the controller accepted and reset at once (how a held controller may refuse). */
function resetAtConnect(err: unknown): boolean {
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  return cause?.code === 'ECONNRESET' || cause?.code === 'EPIPE';
}
