import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reading } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STATE_FILE } from '../state.js';
import { tempDir } from '../test-utils/fixtures.js';
import { closeOutboxes, testOutbox } from '../test-utils/link.js';
import { Outbox } from './outbox.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await closeOutboxes();
  await dir.remove();
});

const reading = (n: number, at = 1_750_000_000_000 + n): Reading => ({ device: 'ctrl-1', at, metrics: { n }, state: 'ok' });
const seqsOf = (records: { seq: number }[]): number[] => records.map((r) => r.seq);

describe('Outbox', () => {
  it('stores batches under rising seqs and hands them back in seq order after a given seq', async () => {
    const outbox = await testOutbox(dir.path);
    const seqs = [];
    for (let n = 0; n < 5; n++) seqs.push(await outbox.append('telemetry', [reading(n)]));
    expect(seqs).toEqual([0, 1, 2, 3, 4]);
    expect(seqsOf(outbox.unsent(-1, 10))).toEqual([0, 1, 2, 3, 4]);
    expect(seqsOf(outbox.unsent(1, 2))).toEqual([2, 3]);
    expect(outbox.unsent(4, 10)).toEqual([]);
    expect(outbox.stats()).toMatchObject({ rows: 5, oldestSeq: 0, newestSeq: 4 });
  });

  it('keeps readings exactly as measured, including their time', async () => {
    const outbox = await testOutbox(dir.path);
    const batch = [reading(1, 1_600_000_000_123), { device: 'psu-1', component: 'rail-5v', at: 1_600_000_000_456, metrics: { volts: 5.02, ok: true } }];
    await outbox.append('telemetry', batch);
    const [record] = outbox.unsent(-1, 1);
    expect(record).toMatchObject({ seq: 0, kind: 'telemetry', items: 2 });
    expect(JSON.parse(record?.body ?? '')).toEqual(batch);
  });

  it('shares one seq space between telemetry and events', async () => {
    const outbox = await testOutbox(dir.path);
    await outbox.append('telemetry', [reading(1)]);
    await outbox.append('events', [{ type: 'card-missing', action: 'raised', at: 1 }]);
    expect(outbox.unsent(-1, 5).map((r) => [r.seq, r.kind])).toEqual([
      [0, 'telemetry'],
      [1, 'events'],
    ]);
  });

  it('trims batches up to an acked seq and keeps the later ones', async () => {
    const outbox = await testOutbox(dir.path);
    for (let n = 0; n < 5; n++) await outbox.append('telemetry', [reading(n)]);
    expect(outbox.trim(2)).toBe(3);
    expect(outbox.trim(1)).toBe(0);
    expect(seqsOf(outbox.unsent(-1, 10))).toEqual([3, 4]);
    expect(outbox.trim(99)).toBe(2);
    expect(outbox.stats()).toMatchObject({ rows: 0, bytes: 0, oldestSeq: undefined, newestSeq: undefined });
  });

  it('keeps its batches and continues the seq after a reopen', async () => {
    const first = await testOutbox(dir.path);
    for (let n = 0; n < 3; n++) await first.append('telemetry', [reading(n)]);
    await first.close();
    const second = await testOutbox(dir.path);
    expect(seqsOf(second.unsent(-1, 10))).toEqual([0, 1, 2]);
    expect(await second.append('telemetry', [reading(3)])).toBeGreaterThan(2);
  });

  it('keeps seq rising after it was emptied and state.json was lost', async () => {
    const first = await testOutbox(dir.path);
    for (let n = 0; n < 3; n++) await first.append('telemetry', [reading(n)]);
    first.trim(2);
    await first.close();
    await rm(join(dir.path, STATE_FILE));
    const second = await testOutbox(dir.path);
    expect(await second.append('telemetry', [reading(3)])).toBe(3);
  });

  it('continues above the persisted SeqState mark when that is higher than its own', async () => {
    await writeFile(join(dir.path, STATE_FILE), JSON.stringify({ version: 1, seqHighWater: 5000 }));
    const outbox = await testOutbox(dir.path);
    expect(await outbox.append('telemetry', [reading(1)])).toBe(5000);
  });

  it('removes a single batch that can never be sent', async () => {
    const outbox = await testOutbox(dir.path);
    for (let n = 0; n < 3; n++) await outbox.append('telemetry', [reading(n)]);
    expect(outbox.remove(2)).toBe(true);
    expect(outbox.remove(2)).toBe(false);
    expect(outbox.stats()).toMatchObject({ rows: 2, newestSeq: 1 });
  });

  it('refuses appends once closed, with a typed error', async () => {
    const outbox = await testOutbox(dir.path);
    await outbox.close();
    await expect(outbox.append('telemetry', [reading(1)])).rejects.toMatchObject({ code: 'agent-state' });
  });

  it('fails with a typed error when the data folder cannot be created', async () => {
    await writeFile(join(dir.path, 'file'), '');
    const seq = { next: () => Promise.resolve(0) };
    await expect(Outbox.open({ dataDir: join(dir.path, 'file', 'data'), seq })).rejects.toMatchObject({ code: 'state-write-failed' });
  });
});
