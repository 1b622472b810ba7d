import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { tempDir } from '../test-utils/fixtures.js';
import { closeOutboxes, testOutbox, waitUntil } from '../test-utils/link.js';
import type { Outbox, OutboxRecord } from './outbox.js';
import { Sender, type SenderOptions } from './sender.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let outbox: Outbox;
const senders: Sender[] = [];

beforeEach(async () => {
  dir = await tempDir();
  outbox = await testOutbox(dir.path);
});
afterEach(async () => {
  for (const s of senders.splice(0)) s.end();
  await closeOutboxes();
  await dir.remove();
});

async function store(batches: number): Promise<void> {
  for (let n = 0; n < batches; n++) await outbox.append('telemetry', [{ device: 'host', at: 1_750_000_000_000 + n, metrics: { n } }]);
}

/** A sender whose publishes land in `sent` (PUBACKed at once unless `publish` is given). */
function sender(over: Partial<SenderOptions> = {}): { s: Sender; sent: number[]; prevs: (number | undefined)[] } {
  const sent: number[] = [];
  const prevs: (number | undefined)[] = [];
  const publish = over.publish ?? ((): Promise<'sent'> => Promise.resolve('sent'));
  const s = new Sender({
    outbox,
    ratePerS: 10_000,
    maxInFlight: 3,
    maxInFlightBytes: 1_000_000,
    ackTimeoutMs: 60_000,
    log: silentLogger(),
    now: Date.now,
    onDrained: () => undefined,
    ...over,
    publish: (r: OutboxRecord, prev: number | undefined) => {
      sent.push(r.seq);
      prevs.push(prev);
      return publish(r, prev);
    },
  });
  senders.push(s);
  return { s, sent, prevs };
}

describe('Sender', () => {
  it('sends stored batches in seq order, no more than the window until the hub acks', async () => {
    await store(10);
    const { s, sent } = sender();
    s.begin();
    expect(sent).toEqual([0, 1, 2]);
    expect(s.acked(1)).toBe(2);
    expect(sent).toEqual([0, 1, 2, 3, 4]);
    expect(s.stats()).toMatchObject({ inFlight: 3, ackedSeq: 1 });
  });

  it('never trims past the highest seq it has sent', async () => {
    await store(10);
    const { s, sent } = sender();
    s.begin();
    expect(s.acked(9)).toBe(3);
    expect(outbox.stats()).toMatchObject({ rows: 7, oldestSeq: 3 });
    expect(sent).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('sends the unacked window again from its oldest batch when the hub stays silent', async () => {
    await store(5);
    const { s, sent } = sender({ ackTimeoutMs: 100 });
    s.begin();
    await waitUntil(() => sent.length >= 6, 2000);
    expect(sent).toEqual([0, 1, 2, 0, 1, 2]);
    expect(s.stats().resent).toBe(3);
  });

  it('names the batch before each one in the outbox, none for the oldest, so the hub can see a gap', async () => {
    await store(5);
    const { s, sent, prevs } = sender({ ackTimeoutMs: 100 });
    s.begin();
    expect(sent).toEqual([0, 1, 2]);
    expect(prevs).toEqual([undefined, 0, 1]);
    s.acked(1); // 0 and 1 trimmed: 2 is the oldest now
    expect(sent).toEqual([0, 1, 2, 3, 4]);
    expect(prevs.slice(3)).toEqual([2, 3]);
    await waitUntil(() => sent.length >= 8, 2000); // silence: the window again, oldest first
    expect(sent.slice(5)).toEqual([2, 3, 4]);
    expect(prevs.slice(5)).toEqual([undefined, 2, 3]);
  });

  it('paces its sends to the configured rate', async () => {
    await store(20);
    const { s, sent } = sender({ ratePerS: 40, maxInFlight: 100 });
    const started = Date.now();
    s.begin();
    expect(sent).toHaveLength(4); // the burst: a tenth of a second's worth
    await waitUntil(() => sent.length === 20, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380); // 16 more at 40/s
  });

  it('starts again from the oldest stored batch on a new connection, counting replays', async () => {
    await store(4);
    const { s, sent } = sender();
    s.begin();
    s.end();
    s.begin();
    expect(sent).toEqual([0, 1, 2, 0, 1, 2]);
    expect(s.stats()).toMatchObject({ replayed: 6, inFlight: 3 });
  });

  it('counts as drained only when every stored batch has its PUBACK', async () => {
    await store(2);
    const pubacks: (() => void)[] = [];
    let drained = 0;
    const publish = (): Promise<'sent'> => new Promise((resolve) => pubacks.push(() => resolve('sent')));
    const { s } = sender({ publish, onDrained: () => drained++ });
    s.begin();
    expect(s.drained).toBe(false);
    pubacks.shift()?.();
    await Promise.resolve();
    expect(s.drained).toBe(false);
    pubacks.shift()?.();
    await waitUntil(() => drained > 0, 1000);
    expect(s.drained).toBe(true);
    expect(s.stats().published).toBe(2);
  });

  it('moves past a batch the publisher cannot send at all', async () => {
    await store(5);
    const { s, sent } = sender({ publish: (r) => Promise.resolve(r.seq === 1 ? 'dropped' : 'sent') });
    s.begin();
    await waitUntil(() => sent.length === 4, 1000);
    expect(sent).toEqual([0, 1, 2, 3]);
  });
});
