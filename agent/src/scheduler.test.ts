import type { Reading } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver } from './drivers/types.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

const AT = 1_750_000_000_000;
const reading = (device: string, n = 1): Reading => ({ device, at: AT, metrics: { n }, state: 'ok' });
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function driver(poll: Driver['poll']): Driver {
  return { poll, inventory: () => Promise.resolve([]), close: () => Promise.resolve() };
}

let running: Scheduler[] = [];
function scheduler(devices: SchedulerOptions['devices'], opts: Partial<SchedulerOptions> = {}): { s: Scheduler; batches: Reading[][] } {
  const batches: Reading[][] = [];
  const s = new Scheduler({ devices, onBatch: (b) => batches.push(b), now: () => AT, batchMs: 10, ...opts });
  running.push(s);
  return { s, batches };
}

afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

describe('Scheduler', () => {
  it('reports a device unreachable when its poll outlasts the timeout, and skips ticks until the driver returns', async () => {
    const hung = driver(() => new Promise<Reading[]>(() => undefined)); // ignores its signal too
    const { s, batches } = scheduler([{ id: 'ctrl-1', driver: hung, intervalMs: 30, timeoutMs: 50 }]);
    s.start();
    await wait(200);
    expect(batches.flat()).toEqual([
      { device: 'ctrl-1', at: AT, metrics: { pollError: 'poll of ctrl-1 took longer than 50 ms' }, state: 'unreachable' },
    ]);
    expect(s.stats()).toMatchObject({ polls: 1, timeouts: 1, failures: 1 });
    expect(s.stats().skipped).toBeGreaterThanOrEqual(3);
  });

  it('never runs two polls of one device at once', async () => {
    let active = 0;
    let maxActive = 0;
    const slow = driver(async () => {
      maxActive = Math.max(maxActive, ++active);
      await wait(70);
      active--;
      return [reading('psu-1')];
    });
    const { s, batches } = scheduler([{ id: 'psu-1', driver: slow, intervalMs: 20, timeoutMs: 1000 }]);
    s.start();
    await wait(250);
    await s.stop();
    expect(maxActive).toBe(1);
    expect(s.stats().skipped).toBeGreaterThan(0);
    expect(batches.flat().length).toBeGreaterThanOrEqual(2); // polling went on between the skips
  });

  it('turns a failing poll into an unreachable reading and keeps polling', async () => {
    let calls = 0;
    const flaky = driver(() => {
      if (++calls === 1) throw new Error('ECONNREFUSED 10.0.0.5:5200');
      return Promise.resolve([reading('ctrl-2')]);
    });
    const { s, batches } = scheduler([{ id: 'ctrl-2', driver: flaky, intervalMs: 30, timeoutMs: 100 }]);
    s.start();
    await wait(80);
    const states = batches.flat().map((r) => r.state);
    expect(states[0]).toBe('unreachable');
    expect(states.slice(1)).toContain('ok');
    expect(batches.flat()[0]?.metrics.pollError).toMatch(/ECONNREFUSED/);
  });

  it('hands over a batch as soon as 500 readings pile up, and the rest at stop', async () => {
    const many = driver(() => Promise.resolve(Array.from({ length: 600 }, (_, i) => reading('sensors', i))));
    const { s, batches } = scheduler([{ id: 'sensors', driver: many, intervalMs: 60_000, timeoutMs: 1000 }], { batchMs: 60_000 });
    s.start();
    await wait(20);
    expect(batches.map((b) => b.length)).toEqual([500]);
    await s.stop();
    expect(batches.map((b) => b.length)).toEqual([500, 100]);
    expect(batches[1]?.[99]?.metrics.n).toBe(599);
  });

  it('gathers the readings of several devices into one batch per window', async () => {
    const a = driver(() => Promise.resolve([reading('a')]));
    const b = driver(() => Promise.resolve([reading('b')]));
    const { s, batches } = scheduler(
      [
        { id: 'a', driver: a, intervalMs: 60_000, timeoutMs: 100 },
        { id: 'b', driver: b, intervalMs: 60_000, timeoutMs: 100 },
      ],
      { batchMs: 30 },
    );
    s.start();
    await wait(80);
    expect(batches.map((batch) => batch.map((r) => r.device))).toEqual([['a', 'b']]);
  });

  it('drops readings that break the contract and counts them', async () => {
    const sloppy = driver(() =>
      Promise.resolve([reading('x'), { device: 'x', at: AT, metrics: { '9lives': 1 } }, { device: 'x', at: 12, metrics: {} }]),
    );
    const { s, batches } = scheduler([{ id: 'x', driver: sloppy, intervalMs: 60_000, timeoutMs: 100 }]);
    s.start();
    await wait(40);
    expect(batches.flat()).toEqual([reading('x')]);
    expect(s.stats().invalidReadings).toBe(2);
  });

  it('aborts a poll in flight on stop without reporting the device unreachable', async () => {
    let seen: AbortSignal | undefined;
    const obedient = driver(
      (signal) =>
        new Promise<Reading[]>((_, reject) => {
          seen = signal;
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    const { s, batches } = scheduler([{ id: 'ups', driver: obedient, intervalMs: 60_000, timeoutMs: 10_000 }]);
    s.start();
    await wait(10);
    await s.stop();
    expect(seen?.aborted).toBe(true);
    expect(batches).toEqual([]);
  });
});
