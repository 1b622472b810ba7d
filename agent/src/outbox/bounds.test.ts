import type { AgentEvent, Reading } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test-utils/fixtures.js';
import { closeOutboxes, testOutbox } from '../test-utils/link.js';
import type { Outbox } from './outbox.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let clock: number;
const now = (): number => clock;
const HOUR = 3_600_000;

beforeEach(async () => {
  dir = await tempDir();
  clock = 1_750_000_000_000;
});
afterEach(async () => {
  await closeOutboxes();
  await dir.remove();
});

/** A telemetry batch of `readings` readings. */
const batch = (readings: number): Reading[] => Array.from({ length: readings }, (_, i) => ({ device: 'host', at: clock, metrics: { i } }));

/** The events stored in the outbox, oldest first. */
function storedEvents(outbox: Outbox): AgentEvent[] {
  return outbox
    .unsent(-1, 10_000)
    .filter((r) => r.kind === 'events')
    .flatMap((r) => JSON.parse(r.body) as AgentEvent[]);
}

describe('Outbox bounds', () => {
  it('drops batches older than the age bound, oldest first, and reports them in one outbox-overflow event', async () => {
    const outbox = await testOutbox(dir.path, { now, maxAgeMs: 72 * HOUR });
    for (let n = 0; n < 4; n++) await outbox.append('telemetry', batch(3));
    clock += HOUR;
    await outbox.append('telemetry', batch(1)); // seq 4, younger
    clock += 72 * HOUR - 1;
    const seq = await outbox.append('telemetry', batch(2));
    const kept = outbox.unsent(-1, 100);
    expect(kept.map((r) => [r.seq, r.kind])).toEqual([
      [4, 'telemetry'],
      [seq, 'telemetry'],
      [seq + 1, 'events'],
    ]);
    expect(storedEvents(outbox)).toEqual([
      expect.objectContaining({
        type: 'outbox-overflow',
        action: 'info',
        at: clock,
        data: { reason: 'age', droppedBatches: 4, droppedReadings: 12, droppedBytes: expect.any(Number), fromSeq: 0, toSeq: 3 },
      }),
    ]);
    expect(outbox.stats()).toMatchObject({ droppedBatches: 4, droppedReadings: 12, overflowEvents: 1 });
  });

  it('drops the oldest batches once the stored bytes pass the size bound', async () => {
    const size = Buffer.byteLength(JSON.stringify(batch(10)));
    const outbox = await testOutbox(dir.path, { now, maxBytes: size * 5 });
    for (let n = 0; n < 8; n++) await outbox.append('telemetry', batch(10));
    expect(storedEvents(outbox).map((e) => e.data)).toEqual([
      { reason: 'size', droppedBatches: 1, droppedReadings: 10, droppedBytes: size, fromSeq: 0, toSeq: 0 },
    ]);
    const { droppedBatches, bytes } = outbox.stats();
    expect(droppedBatches).toBe(4);
    expect(bytes).toBeLessThanOrEqual(size * 5);
    expect(outbox.unsent(-1, 100)[0]?.seq).toBe(4);
  });

  it('adds up drops within a minute into the next event instead of reporting each', async () => {
    const outbox = await testOutbox(dir.path, { now, maxAgeMs: HOUR, overflowReportMs: 60_000 });
    const start = clock;
    for (let n = 0; n < 10; n++) {
      await outbox.append('telemetry', batch(2));
      clock += 1000;
    }
    clock = start + HOUR + 500;
    await outbox.append('telemetry', batch(1)); // drops seq 0 and reports it at once
    clock += 2000;
    await outbox.append('telemetry', batch(1)); // drops 1 and 2
    clock += 3000;
    await outbox.append('telemetry', batch(1)); // drops 3, 4 and 5
    expect(storedEvents(outbox).map((e) => (e.data as { droppedBatches: number }).droppedBatches)).toEqual([1]);
    clock = start + HOUR + 500 + 60_000;
    await outbox.append('telemetry', batch(1)); // drops 6 to 9; a minute has passed
    expect(storedEvents(outbox).map((e) => e.data)).toEqual([
      expect.objectContaining({ droppedBatches: 1, droppedReadings: 2, fromSeq: 0, toSeq: 0 }),
      expect.objectContaining({ droppedBatches: 9, droppedReadings: 18, fromSeq: 1, toSeq: 9 }),
    ]);
    expect(outbox.stats().overflowEvents).toBe(2);
  });

  it('reports the drops a stop came before, after the next open', async () => {
    const outbox = await testOutbox(dir.path, { now, maxAgeMs: HOUR, overflowReportMs: 60_000 });
    const start = clock;
    await outbox.append('telemetry', batch(1));
    clock += 1000;
    await outbox.append('telemetry', batch(3));
    clock = start + HOUR + 500;
    await outbox.append('telemetry', batch(1)); // drops seq 0, reported
    clock += 1000;
    await outbox.append('telemetry', batch(1)); // drops seq 1 within the minute: pending
    await outbox.close();
    clock += 60_000;
    const reopened = await testOutbox(dir.path, { now, maxAgeMs: HOUR, overflowReportMs: 60_000 });
    expect(storedEvents(reopened).at(-1)?.data).toMatchObject({ reason: 'age', droppedBatches: 1, droppedReadings: 3, fromSeq: 1, toSeq: 1 });
  });
});
