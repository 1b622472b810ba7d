import { existsSync } from 'node:fs';
import { readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STATE_FILE } from '../state.js';
import { tempDir } from '../test-utils/fixtures.js';
import { closeOutboxes, testOutbox } from '../test-utils/link.js';
import { killAll, spawnNode } from '../test-utils/process.js';
import { OUTBOX_FILE, type Outbox } from './outbox.js';

const APPENDER = fileURLToPath(new URL('./test-utils/append-forever.ts', import.meta.url));

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await killAll();
  await closeOutboxes();
  await dir.remove();
});

const file = (): string => join(dir.path, OUTBOX_FILE);

async function fill(batches: number): Promise<void> {
  const outbox = await testOutbox(dir.path);
  for (let n = 0; n < batches; n++) await outbox.append('telemetry', [{ device: 'host', at: 1_750_000_000_000 + n, metrics: { n, pad: 'x'.repeat(100) } }]);
  await outbox.close();
}

const corruptEvents = (outbox: Outbox): { seq: number; event: AgentEvent }[] =>
  outbox
    .unsent(-1, 100_000)
    .filter((r) => r.kind === 'events')
    .flatMap((r) => (JSON.parse(r.body) as AgentEvent[]).filter((e) => e.type === 'outbox-corrupt').map((event) => ({ seq: r.seq, event })));

describe('Outbox recovery', () => {
  it('sets a file truncated in the middle aside, keeps the batches that still read, and reports the loss under a higher seq', async () => {
    await fill(2000);
    await truncate(file(), Math.floor((await stat(file())).size / 2));
    const outbox = await testOutbox(dir.path);
    const { recovered } = outbox.stats();
    expect(recovered?.batches).toBeGreaterThan(100);
    expect(recovered?.batches).toBeLessThan(2000);
    expect(existsSync(recovered?.movedTo ?? 'none')).toBe(true);
    const telemetry = outbox.unsent(-1, 100_000).filter((r) => r.kind === 'telemetry');
    expect(telemetry.map((r) => r.seq)).toEqual(Array.from({ length: recovered?.batches ?? 0 }, (_, i) => i));
    const [report, ...more] = corruptEvents(outbox);
    expect(more).toEqual([]);
    expect(report?.seq).toBeGreaterThanOrEqual(2000);
    expect(report?.event).toMatchObject({ action: 'info', severity: 'fault', data: { recoveredBatches: recovered?.batches, lostAfterSeq: (recovered?.batches ?? 0) - 1 } });
    expect(await outbox.append('telemetry', [{ device: 'host', at: 1, metrics: { n: 1 } }])).toBeGreaterThan(report?.seq ?? Infinity);
  });

  it('starts afresh from a file that is not a database, with seq still rising', async () => {
    await fill(10);
    await writeFile(file(), 'these bytes were never a SQLite database, but are long enough to hold its header. '.repeat(4));
    const outbox = await testOutbox(dir.path);
    const [report] = corruptEvents(outbox);
    expect(report?.event.data).toMatchObject({ recoveredBatches: 0, reason: expect.stringMatching(/SQLite header/) });
    expect(report?.seq).toBeGreaterThanOrEqual(10);
    expect((await readdir(dir.path)).filter((f) => f.startsWith(`${OUTBOX_FILE}.corrupt-`))).toHaveLength(1);
  });

  it('treats a file cut to zero bytes as damaged, not as a new outbox', async () => {
    await fill(10);
    await truncate(file(), 0);
    const outbox = await testOutbox(dir.path);
    expect(outbox.stats().recovered).toMatchObject({ batches: 0 });
    expect(corruptEvents(outbox)).toHaveLength(1);
  });

  it('keeps every committed batch when the writing process is SIGKILLed, and needs no recovery', async () => {
    const child = spawnNode(['--conditions=source', '--import', 'tsx', APPENDER, dir.path]);
    const committed = (): number[] => child.stdout().split('\n').filter(Boolean).map(Number);
    const deadline = Date.now() + 20_000;
    while (committed().length < 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.child.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    const seen = committed();
    expect(seen.length).toBeGreaterThanOrEqual(500);
    const outbox = await testOutbox(dir.path);
    expect(outbox.stats().recovered).toBeUndefined();
    const stored = new Set(outbox.unsent(-1, 1_000_000).map((r) => r.seq));
    expect(seen.filter((s) => !stored.has(s))).toEqual([]);
    const next = await outbox.append('telemetry', [{ device: 'host', at: 1, metrics: { n: 1 } }]);
    expect(next).toBeGreaterThan(Math.max(...stored));
    expect(existsSync(join(dir.path, STATE_FILE))).toBe(true);
  });
});
