import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AckTracker } from './acks.js';

const silent = pino({ level: 'silent' });

function tracker(): { acks: AckTracker; sent: number[] } {
  const sent: number[] = [];
  const acks = new AckTracker(async (_agent, seq) => void sent.push(seq), silent);
  return { acks, sent };
}

describe('cumulative acks over the outbox chain', () => {
  it('acks a batch that was the oldest in the outbox at once', async () => {
    const { acks, sent } = tracker();
    acks.settle('a', 10);
    await acks.idle();
    expect(sent).toEqual([10]);
  });

  it('holds a later ack until the batch before it is stored, then acks both at once', async () => {
    const { acks, sent } = tracker();
    acks.settle('a', 10);
    acks.settle('a', 12, 11); // 11 is not stored yet (slow store, or lost on the way)
    await acks.idle();
    expect(sent).toEqual([10]);
    acks.settle('a', 11, 10);
    await acks.idle();
    expect(sent).toEqual([10, 12]);
    expect(acks.covered('a')).toBe(12);
  });

  it('never acks past a batch the broker lost, until the agent resends its window from the oldest', async () => {
    const { acks, sent } = tracker();
    acks.settle('a', 5);
    // 6 lost by the broker; 7 and 8 arrive and are stored
    acks.settle('a', 7, 6);
    acks.settle('a', 8, 7);
    await acks.idle();
    expect(sent).toEqual([5]);
    // ack timeout on the agent: 6 (now the oldest in its outbox) is sent again, then 7, 8
    acks.settle('a', 6);
    await acks.idle();
    expect(sent).toEqual([5, 8]);
  });

  it('covers a batch whose predecessor was dropped by the outbox bounds (prev at or below the ack)', async () => {
    const { acks, sent } = tracker();
    acks.settle('a', 3);
    acks.settle('a', 9, 2); // 4..8 gone from the outbox; the record before 9 is an acked one
    await acks.idle();
    expect(sent).toEqual([3, 9]);
  });

  it('acks again when an already covered batch arrives again (its ack may have been lost)', async () => {
    const { acks, sent } = tracker();
    acks.settle('a', 1);
    acks.settle('a', 2, 1);
    acks.settle('a', 1);
    await acks.idle();
    expect(sent).toEqual([1, 2, 2]);
  });

  it('keeps agents apart and forgets waiting batches on disconnect', async () => {
    const { acks, sent } = tracker();
    acks.settle('a', 1);
    acks.settle('b', 7, 6);
    acks.forget('b');
    acks.settle('b', 6);
    await acks.idle();
    expect(sent).toEqual([1, 6]); // 7 was forgotten: it arrives again with the resent window
    expect(acks.covered('b')).toBe(6);
  });

  it('logs instead of throwing when an ack cannot be published', async () => {
    const acks = new AckTracker(() => Promise.reject(new Error('broker gone')), silent);
    acks.settle('a', 1);
    await expect(acks.idle()).resolves.toBeUndefined();
  });
});
