import { describe, expect, it } from 'vitest';
import { parseRange } from './ranges.js';
import { assignWaves, inWindow, normalizeSpec } from './spec.js';

describe('rollout waves', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `a${i}`);

  it('puts the canary count first, then cumulative percentages, and the rest in the last wave', () => {
    expect(assignWaves(ids, [{ count: 1 }, { percent: 50 }, { percent: 60 }]).map((w) => w.length)).toEqual([1, 4, 5]);
  });

  it('never leaves an agent out, even when the waves ask for less', () => {
    expect(assignWaves(ids, [{ count: 2 }, { percent: 10 }]).flat()).toEqual(ids);
  });

  it('fills the defaults: a canary of one, then everyone, abort at the first failure', () => {
    expect(normalizeSpec({ targets: { agentIds: ['a'] } })).toMatchObject({ waves: [{ count: 1 }, { percent: 100 }], successPercent: 100, failure: { maxFailures: 1, action: 'abort' } });
  });
});

describe('upgrade windows', () => {
  const at = (iso: string) => Date.parse(iso);

  it('uses the site’s local hours', () => {
    const w = { startHour: 2, endHour: 5 };
    expect(inWindow(w, 'Europe/Berlin', at('2026-01-15T01:30:00Z'))).toBe(true); // 02:30 in Berlin
    expect(inWindow(w, 'UTC', at('2026-01-15T01:30:00Z'))).toBe(false);
  });

  it('spans midnight when the end hour is below the start hour', () => {
    const w = { startHour: 22, endHour: 4 };
    expect(inWindow(w, 'UTC', at('2026-01-15T23:00:00Z'))).toBe(true);
    expect(inWindow(w, 'UTC', at('2026-01-15T03:59:00Z'))).toBe(true);
    expect(inWindow(w, 'UTC', at('2026-01-15T12:00:00Z'))).toBe(false);
  });
});

describe('range requests', () => {
  it('answers open, closed and suffix ranges, and refuses ranges past the end', () => {
    expect(parseRange('bytes=100-', 1000)).toEqual({ kind: 'partial', start: 100, end: 999 });
    expect(parseRange('bytes=0-9', 1000)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=-10', 1000)).toEqual({ kind: 'partial', start: 990, end: 999 });
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-9', 1000)).toEqual({ kind: 'full' });
    expect(parseRange(undefined, 1000)).toEqual({ kind: 'full' });
  });
});
