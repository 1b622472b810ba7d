/**
 * Sends the outbox over one connection at a time. On `begin()` (a connection is up and
 * born) it walks the outbox in seq order from its oldest batch, paced by a token bucket
 * and held to a window of batches the hub has not acked yet (`maxInFlight` batches and
 * `maxInFlightBytes`), so a long outage replays steadily instead of all at once.
 *
 * Each batch names the seq before it in the outbox (`prev`), so the hub acks a seq only
 * when every batch down to it is stored, even if the broker lost one on the way. The hub's
 * `ack {seq}` trims the outbox up to that seq, but never past the highest seq sent, and
 * opens the window again. A window the hub leaves unacked for `ackTimeoutMs` is
 * sent again from its oldest batch (the hub stores idempotently). On `end()` (connection
 * lost) everything unacked simply stays in the outbox for the next connection.
 */
import type { Logger } from '../log.js';
import type { Outbox, OutboxRecord } from './outbox.js';
import { Pacer } from './pacer.js';

export interface SenderOptions {
  outbox: Outbox;
  /**
   * Publishes one batch with `prev`, the seq of the batch before it in the outbox (absent
   * when it is the oldest); resolves 'sent' on the broker's PUBACK, 'dropped' when the
   * batch can never be sent.
   */
  publish: (record: OutboxRecord, prev: number | undefined) => Promise<'sent' | 'dropped'>;
  ratePerS: number;
  maxInFlight: number;
  maxInFlightBytes: number;
  ackTimeoutMs: number;
  log: Logger;
  now: () => number;
  /** Called whenever nothing is left to publish and every publish has its PUBACK. */
  onDrained: () => void;
}

export interface SenderStats {
  /** Batches the broker took (PUBACK). */
  published: number;
  /** Batches sent that were already stored when their connection came up. */
  replayed: number;
  /** Batches sent again because the hub did not ack them in time. */
  resent: number;
  /** Batches sent and not yet acked by the hub. */
  inFlight: number;
  /** Highest seq the hub acked. */
  ackedSeq: number | undefined;
}

export class Sender {
  readonly #o: SenderOptions;
  readonly #pacer: Pacer;
  readonly #inFlight = new Map<number, { at: number; bytes: number }>();
  #inFlightBytes = 0;
  #active = false;
  #epoch = 0;
  /** Highest seq published on this connection (or skipped past by an ack). */
  #cursor = -1;
  #backlogUpTo = -1;
  #awaitingPuback = 0;
  #highestSent = -1;
  #trimmedTo = -1;
  #pumpTimer: NodeJS.Timeout | undefined;
  #ackTimer: NodeJS.Timeout | undefined;
  readonly #stats: Omit<SenderStats, 'inFlight'> = { published: 0, replayed: 0, resent: 0, ackedSeq: undefined };

  constructor(opts: SenderOptions) {
    this.#o = opts;
    this.#pacer = new Pacer(opts.ratePerS, opts.now);
  }

  stats(): SenderStats {
    return { ...this.#stats, inFlight: this.#inFlight.size };
  }

  /** True when nothing stored is left to publish and every publish has its PUBACK. */
  get drained(): boolean {
    return this.#awaitingPuback === 0 && !this.#o.outbox.hasAfter(this.#cursor);
  }

  /** A connection is ready: sends the outbox from its oldest batch. */
  begin(): void {
    this.end();
    this.#active = true;
    this.#backlogUpTo = this.#o.outbox.stats().newestSeq ?? -1;
    this.pump();
  }

  /** The connection is gone: stops sending; unacked batches stay stored. */
  end(): void {
    this.#active = false;
    this.#epoch++;
    clearTimeout(this.#pumpTimer);
    clearTimeout(this.#ackTimer);
    this.#pumpTimer = undefined;
    this.#ackTimer = undefined;
    this.#inFlight.clear();
    this.#inFlightBytes = 0;
    this.#awaitingPuback = 0;
    this.#cursor = -1;
  }

  /** Publishes what the window and the pace allow. */
  pump(): void {
    if (!this.#active) return;
    try {
      this.#fill();
    } catch (err) {
      // The outbox file failed under us; the batches stay stored and go after the next event.
      this.#o.log.error({ code: (err as { code?: unknown }).code, err: (err as Error).message }, 'cannot read the outbox');
    }
  }

  #fill(): void {
    const { maxInFlight, maxInFlightBytes } = this.#o;
    while (this.#inFlight.size < maxInFlight && (this.#inFlightBytes < maxInFlightBytes || this.#inFlight.size === 0)) {
      const [record] = this.#o.outbox.unsent(this.#cursor, 1);
      if (record === undefined) break;
      if (!this.#pacer.take()) {
        this.#pumpTimer ??= setTimeout(() => {
          this.#pumpTimer = undefined;
          this.pump();
        }, this.#pacer.waitMs());
        break;
      }
      this.#send(record);
    }
    this.#armAckTimer();
  }

  /** The hub stored everything up to `seq`: trims the outbox; returns the batches trimmed. */
  acked(seq: number): number {
    if (this.#stats.ackedSeq === undefined || seq > this.#stats.ackedSeq) this.#stats.ackedSeq = seq;
    const upTo = Math.min(seq, this.#highestSent);
    if (upTo <= this.#trimmedTo) return 0;
    this.#trimmedTo = upTo;
    const trimmed = this.#o.outbox.trim(upTo);
    for (const [s, f] of this.#inFlight) {
      if (s > upTo) break; // the map holds sends in seq order
      this.#inFlight.delete(s);
      this.#inFlightBytes -= f.bytes;
    }
    if (this.#cursor < upTo) this.#cursor = upTo;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    this.pump();
    if (this.drained) this.#o.onDrained();
    return trimmed;
  }

  #send(record: OutboxRecord): void {
    const epoch = this.#epoch;
    this.#cursor = record.seq;
    this.#highestSent = Math.max(this.#highestSent, record.seq);
    this.#inFlight.set(record.seq, { at: this.#o.now(), bytes: record.bytes });
    this.#inFlightBytes += record.bytes;
    if (record.seq <= this.#backlogUpTo) this.#stats.replayed++;
    this.#awaitingPuback++;
    this.#o.publish(record, this.#o.outbox.prevOf(record.seq)).then(
      (outcome) => {
        if (epoch !== this.#epoch) return;
        this.#awaitingPuback--;
        if (outcome === 'sent') this.#stats.published++;
        else this.#release(record.seq);
        if (this.drained) this.#o.onDrained();
      },
      (err: unknown) => {
        if (epoch !== this.#epoch) return;
        // Stays in flight: the ack timeout or the next connection sends it again.
        this.#awaitingPuback--;
        this.#o.log.debug({ seq: record.seq, err: (err as Error).message }, 'publish failed');
        if (this.drained) this.#o.onDrained();
      },
    );
  }

  #release(seq: number): void {
    const f = this.#inFlight.get(seq);
    if (f === undefined) return;
    this.#inFlight.delete(seq);
    this.#inFlightBytes -= f.bytes;
    this.pump();
  }

  #armAckTimer(): void {
    if (this.#ackTimer !== undefined || !this.#active) return;
    const oldest = this.#inFlight.values().next();
    if (oldest.done === true) return;
    const wait = Math.max(0, oldest.value.at + this.#o.ackTimeoutMs - this.#o.now());
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      this.#onAckTimeout();
    }, wait);
  }

  #onAckTimeout(): void {
    const first = this.#inFlight.entries().next();
    if (!this.#active || first.done === true) return;
    const [seq, { at }] = first.value;
    if (this.#o.now() - at < this.#o.ackTimeoutMs) return this.#armAckTimer();
    this.#o.log.info({ fromSeq: seq, batches: this.#inFlight.size }, 'the hub did not ack in time; sending the unacked batches again');
    this.#stats.resent += this.#inFlight.size;
    this.#inFlight.clear();
    this.#inFlightBytes = 0;
    this.#cursor = seq - 1;
    this.pump();
  }
}
