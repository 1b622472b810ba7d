/**
 * A bounded, batching write buffer in front of a slow or flaky sink (InfluxDB's /write).
 *
 * - Items leave in batches of at most `batchSize`, as soon as a batch is full or its oldest
 *   item has waited `flushIntervalMs`; up to `concurrency` batches are in flight at a time.
 * - A batch the sink could not take (connection error, 5xx, …) is retried with exponential
 *   backoff and full jitter, for as long as it takes: nothing is dropped for being late.
 * - A batch the sink rejects (e.g. HTTP 400) is split in halves and resent until the bad
 *   items stand alone; those are dropped and reported, the good ones stored (resending a
 *   good item is harmless: writes are idempotent).
 * - At most `maxBuffered` items are held: add() waits for room (backpressure), and every
 *   add() resolves only once all its items were stored or rejected.
 */
import { performance } from 'node:perf_hooks';
import { TelemetryError } from './errors.js';
import type { WriteResult } from './store.js';

export interface BatchSink<T> {
  send(items: readonly T[], signal: AbortSignal): Promise<void>;
}

export type Failure = { kind: 'retry'; retryAfterMs?: number } | { kind: 'reject' };

export interface BatcherHooks<T> {
  onSent?(items: readonly T[]): void;
  onRejected?(item: T, err: unknown): void;
  onRetry?(err: unknown, attempt: number, delayMs: number): void;
}

export interface BatcherOptions<T> {
  sink: BatchSink<T>;
  /** Sorts a failed send: retry the same batch later, or reject (split, then drop the bad). */
  classify(err: unknown): Failure;
  batchSize: number;
  /** Batches in flight at once (default 1); each is retried on its own. */
  concurrency?: number;
  flushIntervalMs: number;
  maxBuffered: number;
  retryBaseMs?: number;
  retryMaxMs: number;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  hooks?: BatcherHooks<T>;
}

interface Entry<T> {
  item: T;
  ticket: Ticket;
  enqueuedAt: number;
}

class Ticket {
  private remaining: number;
  private readonly result: WriteResult = { accepted: 0, rejected: 0 };
  private done = false;
  readonly promise: Promise<WriteResult>;
  private resolve!: (r: WriteResult) => void;
  private reject!: (e: Error) => void;

  constructor(count: number) {
    this.remaining = count;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  settle(accepted: boolean): void {
    if (this.done) return;
    if (accepted) this.result.accepted++;
    else this.result.rejected++;
    if (--this.remaining === 0) {
      this.done = true;
      this.resolve(this.result);
    }
  }

  fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.reject(err);
  }
}

/** Full jitter: a uniformly random pause in [0, min(max, base * 2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)));
}

const closedError = (message: string) => new TelemetryError('telemetry-closed', 'closed', message);

export class Batcher<T> {
  private queue: Entry<T>[] = [];
  private inflight = 0;
  /** Items of writers let in by admitWaiters() that have not pushed them yet. */
  private reserved = 0;
  private readonly waiters: { n: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private idleWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  /** Items per add(), a moving average: how many room() waiters the room takes. */
  private avgAdd = 1;
  private roomTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Batches being sent. */
  private running = 0;
  private readonly concurrency: number;
  private closing = false;
  private readonly abort = new AbortController();
  private readonly random: () => number;
  readonly counts = { written: 0, rejected: 0, retries: 0, batches: 0 };

  constructor(private readonly opts: BatcherOptions<T>) {
    this.random = opts.random ?? Math.random;
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  /** Items held (queued or in flight). */
  get buffered(): number {
    return this.queue.length + this.inflight + this.reserved;
  }

  get waitingWriters(): number {
    return this.waiters.length;
  }

  /**
   * Undefined while there is room (nothing waits and the buffer is below its bound), else
   * resolves once there is: lets a producer hold back before it does the work of an add().
   */
  room(): Promise<void> | undefined {
    if (this.waiters.length === 0 && this.roomWaiters.length === 0 && this.buffered < this.opts.maxBuffered) return undefined;
    if (this.closing) return undefined; // add() will say why
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  async add(items: readonly T[]): Promise<WriteResult> {
    if (this.closing) throw closedError('the telemetry store is closed');
    if (items.length === 0) return { accepted: 0, rejected: 0 };
    if (this.waiters.length > 0 || !this.fits(items.length)) {
      await new Promise<void>((resolve, reject) => this.waiters.push({ n: items.length, resolve, reject }));
      this.reserved -= items.length;
      if (this.abort.signal.aborted) throw closedError('the telemetry store closed before these points were stored');
    }
    this.avgAdd += (items.length - this.avgAdd) / 16;
    const ticket = new Ticket(items.length);
    const enqueuedAt = performance.now();
    for (const item of items) this.queue.push({ item, ticket, enqueuedAt });
    this.kick();
    return ticket.promise;
  }

  /** Sends everything held, waiting at most `timeoutMs`; what is left then fails `telemetry-closed`. */
  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    clearTimeout(this.roomTimer);
    for (const r of this.roomWaiters.splice(0)) r();
    this.kick();
    if (this.buffered > 0 || this.running > 0 || this.waiters.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(false))),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (timedOut) this.giveUp();
    }
    clearTimeout(this.timer);
  }

  private giveUp(): void {
    this.abort.abort();
    const err = closedError('the telemetry store closed before these points were stored');
    for (const e of this.queue.splice(0)) e.ticket.fail(err);
    for (const w of this.waiters.splice(0)) w.reject(err);
    for (const r of this.roomWaiters.splice(0)) r();
  }

  private fits(n: number): boolean {
    return this.buffered === 0 || this.buffered + n <= this.opts.maxBuffered;
  }

  private due(): boolean {
    const first = this.queue[0];
    if (first === undefined) return false;
    return this.closing || this.queue.length >= this.opts.batchSize || performance.now() - first.enqueuedAt >= this.opts.flushIntervalMs;
  }

  private kick(): void {
    while (this.running < this.concurrency && this.due() && !this.abort.signal.aborted) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.pump(this.queue.splice(0, this.opts.batchSize));
    }
    const first = this.queue[0];
    if (first === undefined || this.timer !== undefined || this.running >= this.concurrency) return;
    const wait = Math.max(0, this.opts.flushIntervalMs - (performance.now() - first.enqueuedAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, wait);
  }

  /** Sends one batch (up to `concurrency` at once), then whatever became due meanwhile. */
  private async pump(batch: Entry<T>[]): Promise<void> {
    this.running++;
    this.inflight += batch.length;
    try {
      await this.deliver(batch, 0);
    } finally {
      this.inflight -= batch.length;
      this.running--;
      this.counts.batches++;
      this.admitWaiters();
    }
    if (this.queue.length > 0 && !this.abort.signal.aborted) this.kick();
    else if (this.running === 0 && this.buffered === 0 && this.waiters.length === 0) for (const idle of this.idleWaiters.splice(0)) idle();
  }

  private admitWaiters(): void {
    for (let w = this.waiters[0]; w !== undefined && this.fits(w.n); w = this.waiters[0]) {
      this.waiters.shift();
      this.reserved += w.n; // held from now on, so the next waiter sees the room this one takes
      w.resolve();
    }
    if (this.roomWaiters.length > 0 && this.waiters.length === 0 && this.buffered < this.opts.maxBuffered) {
      // As many as the room takes at the usual add() size, not all at once: 10,000 agents
      // held at a full buffer must not all come in the moment one batch is sent.
      const n = Math.max(1, Math.floor((this.opts.maxBuffered - this.buffered) / Math.max(1, this.avgAdd)));
      for (const r of this.roomWaiters.splice(0, n)) r();
    }
    // Those let in may bring nothing (a refused message): look again soon, so none waits for good.
    if (this.roomWaiters.length > 0 && this.roomTimer === undefined && !this.closing) {
      this.roomTimer = setTimeout(() => {
        this.roomTimer = undefined;
        this.admitWaiters();
      }, 50);
    }
  }

  private async deliver(batch: Entry<T>[], depth: number): Promise<void> {
    const items = batch.map((e) => e.item);
    for (let attempt = 0; ; attempt++) {
      if (this.abort.signal.aborted) return this.failAll(batch);
      try {
        await this.opts.sink.send(items, this.abort.signal);
        for (const e of batch) e.ticket.settle(true);
        this.counts.written += batch.length;
        this.opts.hooks?.onSent?.(items);
        return;
      } catch (err) {
        if (this.abort.signal.aborted) return this.failAll(batch);
        const failure = this.opts.classify(err);
        if (failure.kind === 'reject') return this.split(batch, depth, err);
        const delay = Math.max(failure.retryAfterMs ?? 0, backoffDelay(attempt, this.opts.retryBaseMs ?? 100, this.opts.retryMaxMs, this.random));
        this.counts.retries++;
        this.opts.hooks?.onRetry?.(err, attempt, delay);
        await this.sleep(delay);
      }
    }
  }

  private async split(batch: Entry<T>[], depth: number, err: unknown): Promise<void> {
    const [only] = batch;
    if (batch.length === 1 && only !== undefined) {
      only.ticket.settle(false);
      this.counts.rejected++;
      this.opts.hooks?.onRejected?.(only.item, err);
      return;
    }
    const mid = Math.ceil(batch.length / 2);
    await this.deliver(batch.slice(0, mid), depth + 1);
    await this.deliver(batch.slice(mid), depth + 1);
  }

  private failAll(batch: Entry<T>[]): void {
    const err = closedError('the telemetry store closed before these points were stored');
    for (const e of batch) e.ticket.fail(err);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      const done = () => {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const t = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
