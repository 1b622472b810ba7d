import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SeqState, STATE_FILE } from './state.js';
import { tempDir } from './test-utils/fixtures.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

const take = async (s: SeqState, n: number): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await s.next());
  return out;
};
const onDisk = async (): Promise<unknown> => JSON.parse(await readFile(join(dir.path, STATE_FILE), 'utf8'));

describe('SeqState', () => {
  it('hands out consecutive seqs from a fresh data folder', async () => {
    const s = await SeqState.open({ dataDir: join(dir.path, 'nested') });
    expect(await take(s, 3)).toEqual([0, 1, 2]);
  });

  it('persists a high-water mark before using a block, not per seq', async () => {
    const s = await SeqState.open({ dataDir: dir.path, blockSize: 10 });
    await take(s, 1);
    expect(await onDisk()).toEqual({ version: 1, seqHighWater: 10 });
    await take(s, 9);
    expect(await onDisk()).toEqual({ version: 1, seqHighWater: 10 });
    await take(s, 1);
    expect(await onDisk()).toEqual({ version: 1, seqHighWater: 20 });
  });

  it('keeps rising after a crash, when the old process never got to write again', async () => {
    const before = await take(await SeqState.open({ dataDir: dir.path, blockSize: 100 }), 42);
    // No close, no flush: the process just vanished.
    const after = await take(await SeqState.open({ dataDir: dir.path, blockSize: 100 }), 2);
    expect(after[0]).toBeGreaterThan(Math.max(...before));
    expect(after).toEqual([100, 101]);
  });

  it('returns seqs in call order to concurrent callers', async () => {
    const s = await SeqState.open({ dataDir: dir.path, blockSize: 2 });
    expect(await Promise.all(Array.from({ length: 7 }, () => s.next()))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('restarts from the clock and keeps the damaged file aside when the state is corrupt', async () => {
    await writeFile(join(dir.path, STATE_FILE), '{"seqHigh');
    const s = await SeqState.open({ dataDir: dir.path, now: () => 1_750_000_000_000 });
    expect(await s.next()).toBe(1_750_000_000_000);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir.path)).some((f) => f.startsWith(`${STATE_FILE}.corrupt-`))).toBe(true);
  });

  it('fails with a typed error when the data folder cannot be created', async () => {
    await writeFile(join(dir.path, 'file'), '');
    await expect(SeqState.open({ dataDir: join(dir.path, 'file', 'data') })).rejects.toMatchObject({ code: 'state-write-failed' });
  });

  it('fails with a typed error when the mark cannot be written', async () => {
    const s = await SeqState.open({ dataDir: dir.path });
    await dir.remove();
    await expect(s.next()).rejects.toMatchObject({ code: 'state-write-failed' });
  });
});
