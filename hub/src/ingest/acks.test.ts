import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AckSequencer } from './acks.js';

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: Error): void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const silent = pino({ level: 'silent' });

describe('acks in arrival order', () => {
  it('holds a later ack until the earlier message is stored', async () => {
    const acked: number[] = [];
    const acks = new AckSequencer(async (_a, seq) => void acked.push(seq), silent);
    const slow = deferred();
    const first = acks.track('a', 10, slow.promise);
    const second = acks.track('a', 11, Promise.resolve());
    await new Promise((r) => setTimeout(r, 10));
    expect(acked).toEqual([]);
    slow.resolve();
    await Promise.all([first, second]);
    expect(acked).toEqual([10, 11]);
  });

  it('acks nothing past a failed store until that seq is stored again', async () => {
    const acked: number[] = [];
    const acks = new AckSequencer(async (_a, seq) => void acked.push(seq), silent);
    await acks.track('a', 1, Promise.resolve());
    expect(await acks.track('a', 2, Promise.reject(new Error('influx down')))).toBe(false);
    expect(await acks.track('a', 3, Promise.resolve())).toBe(false);
    // The agent resends from its oldest unacked batch.
    expect(await acks.track('a', 2, Promise.resolve())).toBe(true);
    expect(await acks.track('a', 3, Promise.resolve())).toBe(true);
    expect(acked).toEqual([1, 2, 3]);
  });

  it('stops holding acks after the block times out', async () => {
    let now = 0;
    const acked: number[] = [];
    const acks = new AckSequencer(async (_a, seq) => void acked.push(seq), silent, () => now, 1000);
    await acks.track('a', 5, Promise.reject(new Error('x')));
    expect(await acks.track('a', 6, Promise.resolve())).toBe(false);
    now = 2000;
    expect(await acks.track('a', 7, Promise.resolve())).toBe(true);
    expect(acked).toEqual([7]);
  });

  it('keeps agents independent', async () => {
    const acked: string[] = [];
    const acks = new AckSequencer(async (a, seq) => void acked.push(`${a}:${seq}`), silent);
    const slow = deferred();
    const a = acks.track('a', 1, slow.promise);
    await acks.track('b', 1, Promise.resolve());
    expect(acked).toEqual(['b:1']);
    slow.resolve();
    await a;
    expect(acked).toEqual(['b:1', 'a:1']);
  });
});
