/**
 * Telemetry batches waiting for the broker's PUBACK, in seq order. Memory only and
 * bounded: while the link is down the oldest batches are dropped (and counted) once the
 * bound is hit. The durable disk outbox that keeps readings until the hub acks them
 * replaces this in a later issue.
 */
import type { Reading } from '@ledwatch/protocols';

export interface QueuedBatch {
  seq: number;
  readings: Reading[];
  /** Connection (generation) the batch was last published on; undefined = never sent. */
  sentOn: number | undefined;
}

export class BatchQueue {
  readonly #max: number;
  #items: QueuedBatch[] = [];

  constructor(maxBatches: number) {
    this.#max = Math.max(1, maxBatches);
  }

  /** Appends a batch; returns the batches dropped to stay within the bound. */
  push(seq: number, readings: Reading[]): QueuedBatch[] {
    this.#items.push({ seq, readings, sentOn: undefined });
    const over = this.#items.length - this.#max;
    return over > 0 ? this.#items.splice(0, over) : [];
  }

  /** Batches not yet published on connection `generation`, oldest first. */
  unsentOn(generation: number): QueuedBatch[] {
    return this.#items.filter((b) => b.sentOn !== generation);
  }

  remove(batch: QueuedBatch): boolean {
    const i = this.#items.indexOf(batch);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** Drops every batch with seq ≤ `seq` (the hub has them); returns how many. */
  trimTo(seq: number): number {
    const before = this.#items.length;
    this.#items = this.#items.filter((b) => b.seq > seq);
    return before - this.#items.length;
  }

  get size(): number {
    return this.#items.length;
  }
}
