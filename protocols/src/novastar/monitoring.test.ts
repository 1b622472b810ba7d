import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MONITORING_BLOCK_LENGTH,
  decodeCardReadings,
  decodeReceivingCardMonitoring,
  decodeRibbonStatus,
  encodeReceivingCardMonitoring,
  encodeRibbonMap,
  type MonitoringValues,
} from './monitoring.js';
import { codeOf } from './test-utils/errors.js';
import { MONITORING_BLOCK, MONITORING_DECODED } from './test-utils/monitoring-block.js';

function withoutRibbonCount(value: typeof MONITORING_DECODED): MonitoringValues {
  if (!value.monitorCard.present) return value;
  const { ribbonErrors: _count, ...card } = value.monitorCard;
  return { ...value, monitorCard: card };
}

describe('receiving-card monitoring block', () => {
  it('is 82 bytes in the hand-built example', () => {
    expect(MONITORING_BLOCK.length).toBe(MONITORING_BLOCK_LENGTH);
  });

  it('decodes every field of the hand-built block', () => {
    expect(decodeReceivingCardMonitoring(MONITORING_BLOCK)).toEqual(MONITORING_DECODED);
  });

  it('encodes the decoded values back to the same 82 bytes', () => {
    expect(encodeReceivingCardMonitoring(withoutRibbonCount(MONITORING_DECODED))).toEqual(MONITORING_BLOCK);
  });

  it('decodes the first 82 bytes of a 256-byte vendor read', () => {
    const read = new Uint8Array(256);
    read.set(MONITORING_BLOCK);
    expect(decodeReceivingCardMonitoring(read)).toEqual(MONITORING_DECODED);
    expect(encodeReceivingCardMonitoring(withoutRibbonCount(MONITORING_DECODED), 256)).toEqual(read);
  });

  it('reads a sub-zero card temperature from the sign bit', () => {
    const block = MONITORING_BLOCK.slice();
    block[0x00] = 0x81; // valid, negative
    block[0x01] = 0x0b; // 11 × 0.5 °C
    expect(decodeReceivingCardMonitoring(block).temperatureC).toBe(-5.5);
  });

  it('gives null for every reading whose valid bit is clear', () => {
    const block = MONITORING_BLOCK.slice();
    block[0x00] = 0x01; // temperature: sign set, valid clear
    block[0x02] = 0x28; // humidity 40 but not valid
    block[0x03] = 0x29; // voltage 4.1 but not valid
    block[0x2a] = 0x01; // smoke bit without valid bit
    const decoded = decodeReceivingCardMonitoring(block);
    expect(decoded).toMatchObject({ temperatureC: null, humidityPct: null, voltageV: null, monitorCard: { smoke: null } });
  });

  it('ignores everything past 0x20 when no monitor card is fitted', () => {
    const block = MONITORING_BLOCK.slice();
    block[0x20] = 0x00;
    expect(decodeReceivingCardMonitoring(block).monitorCard).toEqual({ present: false });
  });

  it('counts all 128 ribbon bits when every pin reads 1 (nothing connected)', () => {
    const block = MONITORING_BLOCK.slice();
    block.fill(0xff, 0x42, 0x52);
    const card = decodeReceivingCardMonitoring(block).monitorCard;
    expect(card.present && card.ribbonErrors).toBe(128);
  });

  it('refuses a block shorter than 82 bytes with short-data', () => {
    expect(codeOf(() => decodeReceivingCardMonitoring(MONITORING_BLOCK.subarray(0, 81)))).toBe('short-data');
  });

  it('refuses to encode a value the wire cannot carry', () => {
    const tooHot = { ...withoutRibbonCount(MONITORING_DECODED), temperatureC: 200 };
    const overVolt = { ...withoutRibbonCount(MONITORING_DECODED), voltageV: 13 };
    expect(codeOf(() => encodeReceivingCardMonitoring(tooHot))).toBe('bad-field');
    expect(codeOf(() => encodeReceivingCardMonitoring(overVolt))).toBe('bad-field');
    expect(codeOf(() => encodeRibbonMap([128]))).toBe('bad-field');
  });
});

describe('short reads inside the monitoring block', () => {
  it('decode the 2-byte temperature read of the reference to 36 °C', () => {
    expect(decodeCardReadings(Uint8Array.of(0x80, 0x48))).toEqual({ temperatureC: 36 });
  });

  it('decode 4 bytes to temperature, humidity and voltage', () => {
    expect(decodeCardReadings(MONITORING_BLOCK.subarray(0, 4))).toEqual({ temperatureC: 36, humidityPct: 40, voltageV: 4.1 });
  });

  it('decode the 16-byte ribbon map read at 0x0A000042', () => {
    expect(decodeRibbonStatus(MONITORING_BLOCK.subarray(0x42, 0x52))).toEqual({ ribbonErrorBits: [0, 32, 33, 127], ribbonErrors: 4 });
  });
});

const valid7 = (scale: number) => fc.option(fc.integer({ min: 0, max: 127 }).map((u) => Math.round(u * scale * 1e6) / 1e6), { nil: null });
const temperature = fc.option(fc.integer({ min: -255, max: 255 }).map((u) => (u === 0 ? 0 : u / 2)), { nil: null });

const monitoringValues: fc.Arbitrary<MonitoringValues> = fc.record({
  temperatureC: temperature,
  humidityPct: valid7(1),
  voltageV: valid7(0.1),
  monitorCard: fc.oneof(
    fc.constant({ present: false as const }),
    fc.record({
      present: fc.constant(true as const),
      model: fc.integer({ min: 0, max: 0xffff }),
      firmware: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((p) => p.join('.')),
      temperatureC: temperature,
      humidity: valid7(1),
      smoke: fc.option(fc.boolean(), { nil: null }),
      fansRpm: fc.array(valid7(50), { minLength: 4, maxLength: 4 }),
      voltagesV: fc.array(valid7(0.1), { minLength: 9, maxLength: 9 }),
      doorsOpen: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      ribbonErrorBits: fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { maxLength: 128 }).map((b) => b.sort((x, y) => x - y)),
    }),
  ),
});

describe('monitoring block properties', () => {
  it('decodes whatever the encoder writes back to the same values', () => {
    fc.assert(
      fc.property(monitoringValues, (values) => {
        const decoded = decodeReceivingCardMonitoring(encodeReceivingCardMonitoring(values));
        const expected = values.monitorCard.present
          ? { ...values, monitorCard: { ...values.monitorCard, ribbonErrors: values.monitorCard.ribbonErrorBits.length } }
          : values;
        expect(decoded).toEqual(expected);
      }),
    );
  });

  it('counts N ribbon errors for a map with N bits set', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 127 }), { maxLength: 128 }), (bits) => {
        expect(decodeRibbonStatus(encodeRibbonMap(bits)).ribbonErrors).toBe(bits.length);
      }),
    );
  });
});
