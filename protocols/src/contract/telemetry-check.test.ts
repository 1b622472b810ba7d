import fc from 'fast-check';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { TelemetryPayload } from './payloads.js';
import { CONTRACT_SAMPLES } from './samples.js';
import { isTelemetryPayload } from './telemetry-check.js';

const schema = Compile(TelemetryPayload);

// Values near every rule of the schema: right ones, and each kind of wrong.
const strings = fc.oneof(
  fc.constantFrom('ctrl-1', 'ctrl-1/p0/c3', 's-7f3a9c', 'cpuPct', 'temp.max', '', ' ', 'a/', '/a', 'é', '_x', '9a', 'x'.repeat(64), 'x'.repeat(65), 'ok', 'warn', 'OK', '__proto__'),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.integer({ min: 120, max: 300 }).map((n) => 'd'.repeat(n)),
  fc.integer({ min: 120, max: 300 }).map((n) => '🙂'.repeat(n)),
);
const numbers = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, 946684800000, 946684799999, 32503680000000, 32503680000001, 1_764_180_000_000, 1_764_180_000_000.5, Number.MAX_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const leaf = fc.oneof(strings, numbers, fc.boolean(), fc.constant(null));
const metrics = fc.oneof(
  fc.dictionary(fc.oneof(strings, fc.constantFrom('voltage', 'temp', 'fans.1')), fc.oneof(leaf, fc.constant({}), fc.constant([1])), { maxKeys: 6 }),
  fc.constantFrom(null, [], 'x', 1),
);
const reading = fc.oneof(
  fc.record(
    {
      device: fc.oneof(strings, numbers),
      component: fc.oneof(strings, fc.constant(null)),
      at: fc.oneof(numbers, strings),
      metrics,
      state: fc.oneof(fc.constantFrom('ok', 'warn', 'fault', 'missing', 'unreachable', 'held', 'unknown'), strings),
      extra: leaf,
    },
    { requiredKeys: [] },
  ),
  leaf,
);
const payload = fc.oneof(
  fc.record(
    {
      seq: numbers,
      prev: numbers,
      sessionId: strings,
      sentAt: numbers,
      readings: fc.oneof(fc.array(reading, { maxLength: 4 }), leaf),
      other: leaf,
    },
    { requiredKeys: [] },
  ),
  leaf,
  fc.array(leaf, { maxLength: 2 }),
);
// Mostly-valid payloads with one thing changed, so the check meets near-misses often.
const valid = fc.record({
  seq: fc.nat(),
  readings: fc.array(
    fc.record({ device: fc.constantFrom('ctrl-1', 'ctrl-1/p0/c3', 'host'), at: fc.integer({ min: 946684800000, max: 32503680000000 }), metrics: fc.dictionary(fc.constantFrom('temp', 'voltage', 'ok', 'fans.1'), fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.string({ maxLength: 4 }))) }),
    { minLength: 1, maxLength: 3 },
  ),
});
const nearMiss = fc.tuple(valid, fc.constantFrom('seq', 'prev', 'sessionId', 'sentAt', 'readings', 'device', 'at', 'metrics', 'component', 'state', 'x'), leaf).map(([p, key, v]) => {
  const out = structuredClone(p) as Record<string, unknown>;
  if (['device', 'at', 'metrics', 'component', 'state'].includes(key)) ((out.readings as Record<string, unknown>[])[0] as Record<string, unknown>)[key] = v;
  else out[key] = v;
  return out;
});

describe('the allocation-free telemetry check', () => {
  it('never accepts what the schema refuses (JSON values)', () => {
    fc.assert(
      fc.property(fc.oneof(payload, nearMiss, valid), (p) => {
        const value: unknown = JSON.parse(JSON.stringify(p) ?? 'null');
        if (isTelemetryPayload(value)) expect(schema.Check(value)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('accepts every valid contract sample and generated valid batch, so ingest takes the fast path', () => {
    for (const sample of CONTRACT_SAMPLES.telemetry.valid) expect(isTelemetryPayload(JSON.parse(JSON.stringify(sample)))).toBe(true);
    fc.assert(fc.property(valid, (p) => isTelemetryPayload(JSON.parse(JSON.stringify(p))) === schema.Check(p)));
  });

  it('leaves every invalid contract sample to the schema', () => {
    for (const sample of CONTRACT_SAMPLES.telemetry.invalid) expect(isTelemetryPayload(JSON.parse(JSON.stringify(sample.payload ?? sample)))).toBe(false);
  });
});
