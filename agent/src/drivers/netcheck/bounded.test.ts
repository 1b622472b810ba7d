import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded.js';

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

describe('mapBounded', () => {
  it('runs at most limit calls at once and keeps the order of the results', async () => {
    let running = 0;
    let most = 0;
    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return n * 10;
    });
    expect(most).toBe(2);
    expect(results).toEqual([50, 10, 40, 20, 30]);
  });

  it('starts nothing new after a call fails, and rejects with that failure', async () => {
    const started: number[] = [];
    const mapping = mapBounded([1, 2, 3, 4], 1, async (n) => {
      started.push(n);
      await tick();
      if (n === 2) throw new Error('boom');
      return n;
    });
    await expect(mapping).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });

  it('resolves an empty list with no results', async () => {
    await expect(mapBounded([], 4, () => Promise.resolve(1))).resolves.toEqual([]);
  });
});
