import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePayload } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAgentConfig } from '../../config.js';
import { createDriver } from '../../test-utils/conformance.js';
import { tempDir } from '../../test-utils/fixtures.js';
import { builtinDrivers } from '../builtin.js';
import type { DriverContext } from '../types.js';
import { SyntheticDriver, syntheticDriverFactory } from './driver.js';
import { parseJournal, prepareJournal } from './journal.js';
import type { SyntheticOptions } from './options.js';

const NOW = 1_760_000_000_000;
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

const factory = syntheticDriverFactory();
const poll = (d: { poll(s: AbortSignal): Promise<unknown> }) => d.poll(AbortSignal.timeout(5000)) as ReturnType<SyntheticDriver['poll']>;

/** A driver on a fake clock that advances `stepMs` at every poll. */
function driver(options: Record<string, unknown>, start = NOW, stepMs = 1000): { d: SyntheticDriver; clock: { t: number } } {
  const clock = { t: start - stepMs };
  const d = createDriver(
    { ...factory, create: (ctx: DriverContext<SyntheticOptions>) => new SyntheticDriver({ ...ctx, now: () => (clock.t += stepMs) }) },
    { id: 'load', kind: 'synthetic', pollIntervalS: 1, options },
  ) as SyntheticDriver;
  return { d, clock };
}

describe('synthetic driver', () => {
  it('emits one reading of the device itself per poll by default, with n counting and two fillers', async () => {
    const { d } = driver({});
    const first = await poll(d);
    const second = await poll(d);
    expect(first).toEqual([{ device: 'load', at: NOW, metrics: { n: 0, m1: expect.any(Number), m2: expect.any(Number) }, state: 'ok' }]);
    expect(second[0]?.metrics.n).toBe(1);
    expect(second[0]?.at).toBe(NOW + 1000);
    expect(second[0]?.metrics.m1).not.toBe(first[0]?.metrics.m1);
  });

  it('emits readingsPerPoll components c0… with the poll time and as many metrics as asked', async () => {
    const { d } = driver({ readingsPerPoll: 3, metrics: 6 });
    const readings = await poll(d);
    expect(readings.map((r) => r.component)).toEqual(['c0', 'c1', 'c2']);
    expect(readings.map((r) => r.metrics.n)).toEqual([0, 1, 2]);
    expect(readings.every((r) => r.at === NOW && Object.keys(r.metrics).length === 6)).toBe(true);
    expect(() => validatePayload('telemetry', { seq: 0, readings })).not.toThrow();
  });

  it('journals every reading before returning it, and continues n from the journal after a restart', async () => {
    const journal = join(dir.path, 'sub', 'load.journal');
    const first = driver({ readingsPerPoll: 2, journal });
    await poll(first.d);
    await poll(first.d);
    expect(readFileSync(journal, 'utf8')).toBe(`c0 ${NOW}\nc1 ${NOW}\nc0 ${NOW + 1000}\nc1 ${NOW + 1000}\n`);
    await first.d.close();

    const again = driver({ readingsPerPoll: 2, journal }, NOW + 60_000);
    const readings = await poll(again.d);
    expect(readings.map((r) => r.metrics.n)).toEqual([4, 5]);
    expect(parseJournal(readFileSync(journal, 'utf8'))).toEqual(
      new Map([
        ['c0', [NOW, NOW + 1000, NOW + 60_000]],
        ['c1', [NOW, NOW + 1000, NOW + 60_000]],
      ]),
    );
  });

  it('writes - as the component of readings of the device itself', async () => {
    const journal = join(dir.path, 'load.journal');
    const { d } = driver({ journal });
    await poll(d);
    expect(readFileSync(journal, 'utf8')).toBe(`- ${NOW}\n`);
  });

  it('emits the backlog of the past hours at its first poll, oldest first, and not again', async () => {
    const { d } = driver({ readingsPerPoll: 2, backfill: { hours: 1, everyS: 600 } });
    const readings = await poll(d);
    expect(readings).toHaveLength(7 * 2);
    const c0 = readings.filter((r) => r.component === 'c0').map((r) => r.at);
    expect(c0).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => NOW - i * 600_000));
    expect(readings.map((r) => r.metrics.n)).toEqual(Array.from({ length: 14 }, (_, i) => i));
    expect(await poll(d)).toHaveLength(2);
  });

  it('does not repeat the backlog after a restart when its journal already has lines', async () => {
    const journal = join(dir.path, 'load.journal');
    const options = { backfill: { hours: 1 }, journal };
    expect(await poll(driver(options).d)).toHaveLength(361);
    const again = await poll(driver(options, NOW + 5000).d);
    expect(again).toEqual([expect.objectContaining({ at: NOW + 5000, metrics: expect.objectContaining({ n: 361 }) })]);
    expect(parseJournal(readFileSync(journal, 'utf8')).get('-')).toHaveLength(362);
  });

  it('cuts a torn last journal line, so the next line starts clean', async () => {
    const journal = join(dir.path, 'load.journal');
    writeFileSync(journal, `- ${NOW - 2000}\n- ${NOW - 1000}\n- 17`);
    expect(prepareJournal(journal)).toBe(2);
    const { d } = driver({ journal });
    expect((await poll(d))[0]?.metrics.n).toBe(2);
    expect(readFileSync(journal, 'utf8')).toBe(`- ${NOW - 2000}\n- ${NOW - 1000}\n- ${NOW}\n`);
  });

  it('refuses to parse a malformed journal line instead of skipping it', () => {
    expect(() => parseJournal('c0 1\nc1 two\n')).toThrow(/line 2 is malformed/);
  });

  it('reports a journal it cannot write as a failed poll', async () => {
    const blocker = join(dir.path, 'file');
    appendFileSync(blocker, 'x');
    const { d } = driver({ journal: join(blocker, 'load.journal') });
    await expect(poll(d)).rejects.toThrow();
  });

  it('is a built-in kind whose options are checked at config load, naming the key and the fix', () => {
    const load = (options: unknown) =>
      resolveAgentConfig({ agentId: 'a1', secret: 's', hub: { url: 'mqtt://h' }, devices: [{ id: 'load', kind: 'synthetic', options }] }, { registry: builtinDrivers() });
    expect(load({ readingsPerPoll: 8, backfill: { hours: 24 } }).devices[0]?.options).toEqual({ readingsPerPoll: 8, metrics: 3, backfill: { hours: 24, everyS: 10 } });
    expect(() => load({ readingsPerPoll: 0, colour: 'red' })).toThrow(/devices\.0\.options\.readingsPerPoll[\s\S]*devices\.0\.options\.colour|devices\.0\.options\.colour[\s\S]*devices\.0\.options\.readingsPerPoll/);
    expect(() => load({ readingsPerPoll: 10_000, backfill: { hours: 720, everyS: 1 } })).toThrow(/more than 1000000[\s\S]*shorten backfill\.hours/);
  });

  it('answers its inventory with the configured device', async () => {
    const d = createDriver(factory, { id: 'load', kind: 'synthetic', name: 'Commissioning load', pollIntervalS: 1 });
    expect(await d.inventory()).toEqual([{ id: 'load', kind: 'synthetic', name: 'Commissioning load', model: 'ledwatch synthetic', capabilities: ['synthetic'] }]);
    await d.close();
  });
});
