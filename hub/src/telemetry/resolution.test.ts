import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS, pickResolution } from './resolution.js';

const DAY = 86_400_000;
const now = 1000 * DAY;
const retention = { rawRetentionDays: 30, minuteRetentionDays: 365, hourRetentionDays: 1825 };
const pick = (from: number, to: number, every?: number) => pickResolution(every === undefined ? { from, to } : { from, to, every }, now, retention).table;

describe('pickResolution', () => {
  it('answers a query without windows from raw values', () => {
    expect(pick(now - DAY, now)).toBe('telemetry_raw');
  });

  it('takes the coarsest rollup whose bucket divides the window and the range', () => {
    const from = now - DAY;
    expect(pick(from, now, MINUTE_MS)).toBe('telemetry_1m');
    expect(pick(from, now, 5 * MINUTE_MS)).toBe('telemetry_1m');
    expect(pick(from, now, HOUR_MS)).toBe('telemetry_1h');
    expect(pick(from, now, 90_000)).toBe('telemetry_raw');
  });

  it('answers an unaligned range from raw values while raw covers it, so edge windows stay exact', () => {
    expect(pick(now - DAY + 30_000, now, MINUTE_MS)).toBe('telemetry_raw');
    expect(pick(now - DAY, now - 1, HOUR_MS)).toBe('telemetry_raw');
  });

  it('uses rollups past the raw retention even for an unaligned range', () => {
    expect(pick(now - 60 * DAY + 30_000, now, MINUTE_MS)).toBe('telemetry_1m');
    expect(pick(now - 400 * DAY + 30_000, now, HOUR_MS)).toBe('telemetry_1h');
  });

  it('falls back to the table that reaches back furthest when none covers from', () => {
    expect(pick(now - 400 * DAY, now, MINUTE_MS)).toBe('telemetry_1m');
    expect(pick(now - 4000 * DAY, now, HOUR_MS)).toBe('telemetry_1h');
  });
});
