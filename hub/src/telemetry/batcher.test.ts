import { describe, expect, it } from 'vitest';
import { Batcher, type BatcherOptions, backoffDelay } from './batcher.js';

class RejectedError extends Error {}

/** A sink that records batches, can be held shut, and refuses batches holding 'bad'. */
function fakeSink() {
  const batches: string[][] = [];
  let gate: Promise<void> | undefined;
  let open = () => {};
  let failures = 0;
  return {
    batches,
    failNext(n: number) {
      failures = n;
    },
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = undefined;
      open();
    },
    async send(items: readonly string[]) {
      if (gate !== undefined) await gate;
      if (failures > 0) {
        failures--;
        throw new Error('connection refused');
      }
      if (items.includes('bad')) throw new RejectedError('400');
      batches.push([...items]);
    },
  };
}

function batcher(sink: ReturnType<typeof fakeSink>, over: Partial<BatcherOptions<string>> = {}) {
  return new Batcher<string>({
    sink,
    classify: (err) => (err instanceof RejectedError ? { kind: 'reject' } : { kind: 'retry' }),
    batchSize: 4,
    flushIntervalMs: 20,
    maxBuffered: 100,
    retryBaseMs: 1,
    retryMaxMs: 5,
    ...over,
  });
}

const items = (n: number, prefix = 'i') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('Batcher', () => {
  it('sends full batches at once and the rest after the flush interval', async () => {
    const sink = fakeSink();
    const b = batcher(sink, { flushIntervalMs: 50 });
    const started = Date.now();
    await expect(b.add(items(10))).resolves.toEqual({ accepted: 10, rejected: 0 });
    expect(sink.batches.map((x) => x.length)).toEqual([4, 4, 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('joins small writes into one batch', async () => {
    const sink = fakeSink();
    const b = batcher(sink, { batchSize: 100 });
    await Promise.all([b.add(['a']), b.add(['b', 'c']), b.add(['d'])]);
    expect(sink.batches).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('retries a batch the sink could not take until it is taken', async () => {
    const sink = fakeSink();
    const delays: number[] = [];
    const b = batcher(sink, { hooks: { onRetry: (_e, _a, ms) => delays.push(ms) } });
    sink.failNext(3);
    await expect(b.add(items(2))).resolves.toEqual({ accepted: 2, rejected: 0 });
    expect(delays).toHaveLength(3);
    expect(sink.batches).toEqual([['i0', 'i1']]);
    expect(b.counts).toMatchObject({ written: 2, retries: 3 });
  });

  it('splits a rejected batch until the bad item stands alone, and stores the rest', async () => {
    const sink = fakeSink();
    const rejected: string[] = [];
    const b = batcher(sink, { batchSize: 8, hooks: { onRejected: (item) => rejected.push(item) } });
    await expect(b.add(['a', 'b', 'c', 'bad', 'd', 'e', 'f', 'g'])).resolves.toEqual({ accepted: 7, rejected: 1 });
    expect(rejected).toEqual(['bad']);
    expect(sink.batches.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    await expect(b.add(['h'])).resolves.toEqual({ accepted: 1, rejected: 0 });
  });

  it('makes add() wait while the buffer is full and lets it in as batches leave', async () => {
    const sink = fakeSink();
    const b = batcher(sink, { maxBuffered: 10 });
    sink.hold();
    const first = b.add(items(6, 'a'));
    const second = b.add(items(4, 'b'));
    const third = b.add(items(1, 'c'));
    await new Promise((r) => setTimeout(r, 30));
    expect(b.buffered).toBe(10);
    expect(b.waitingWriters).toBe(1);
    sink.release();
    await expect(Promise.all([first, second, third])).resolves.toHaveLength(3);
    expect(sink.batches.flat()).toHaveLength(11);
    expect(b.buffered).toBe(0);
  });

  it('lets one write larger than the whole buffer in when the buffer is empty', async () => {
    const sink = fakeSink();
    const b = batcher(sink, { maxBuffered: 3 });
    await expect(b.add(items(9))).resolves.toEqual({ accepted: 9, rejected: 0 });
  });

  it('sends what is left on close()', async () => {
    const sink = fakeSink();
    const b = batcher(sink, { flushIntervalMs: 60_000 });
    const pending = b.add(items(3));
    await b.close(1000);
    await expect(pending).resolves.toEqual({ accepted: 3, rejected: 0 });
    await expect(b.add(['late'])).rejects.toMatchObject({ code: 'telemetry-closed' });
  });

  it('fails what it could not send within the close() timeout with telemetry-closed', async () => {
    const sink = fakeSink();
    const b = batcher(sink, { maxBuffered: 2 });
    sink.failNext(1_000_000);
    const sent = b.add(items(2));
    const waiting = b.add(items(1));
    await b.close(50);
    await expect(sent).rejects.toMatchObject({ code: 'telemetry-closed' });
    await expect(waiting).rejects.toMatchObject({ code: 'telemetry-closed' });
  });
});

describe('backoffDelay', () => {
  it('draws a full-jitter pause below min(max, base * 2^attempt)', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 100, 1000, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(5, 100, 1000, () => 0)).toBe(0);
  });

  it('keeps up to `concurrency` batches in flight, and room() says when there is space again', async () => {
    let inFlight = 0;
    let most = 0;
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const b = new Batcher<string>({
      sink: {
        async send() {
          inFlight++;
          most = Math.max(most, inFlight);
          await gate;
          inFlight--;
        },
      },
      classify: () => ({ kind: 'retry' }),
      batchSize: 2,
      concurrency: 2,
      flushIntervalMs: 1,
      maxBuffered: 6,
      retryMaxMs: 5,
    });
    expect(b.room()).toBeUndefined();
    const writes = [b.add(['a', 'b']), b.add(['c', 'd']), b.add(['e', 'f'])];
    await new Promise((r) => setTimeout(r, 30));
    expect(most).toBe(2); // the third batch waits for a free slot
    const room = b.room();
    expect(room).toBeInstanceOf(Promise); // 6 of 6 held
    let hasRoom = false;
    void room?.then(() => (hasRoom = true));
    open();
    await Promise.all(writes);
    await room;
    expect(hasRoom).toBe(true);
    expect(b.room()).toBeUndefined();
    await b.close(100);
  });

  it('lets room() waiters in a few at a time as the buffer drains, not all at once', async () => {
    let open = () => {};
    let gate = new Promise<void>((r) => (open = r));
    const b = new Batcher<string>({
      sink: {
        async send() {
          await gate;
        },
      },
      classify: () => ({ kind: 'retry' }),
      batchSize: 2,
      flushIntervalMs: 1,
      maxBuffered: 8,
      retryMaxMs: 5,
    });
    const writes = [1, 2, 3, 4].map((i) => b.add([`a${i}`, `b${i}`])); // 8 of 8
    let admitted = 0;
    const waiting = Array.from({ length: 40 }, () => b.room()?.then(() => admitted++));
    expect(waiting.every((w) => w !== undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(admitted).toBe(0);
    gate = Promise.resolve();
    open(); // the first batch of 2 goes: room for one more add() of 2
    await writes[0];
    await new Promise((r) => setImmediate(r));
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThan(40);
    await Promise.all(waiting); // the rest follow, none left behind
    expect(admitted).toBe(40);
    await Promise.all(writes);
    await b.close(100);
  });
});
