import { describe, expect, it } from 'vitest';
import { decodeScalars, decodeTable, rowComponent } from './decode.js';
import { scalarOids, tableColumnOids, validateSnmpProfile } from './profile.js';
import { UPS_MIB, deriveUpsMetrics } from './ups-mib.js';
import type { Varbind } from './varbind.js';

// A GET of every UPS_MIB scalar, as net-snmp returns it from a UPS on mains.
const ON_MAINS: Varbind[] = [
  { oid: '1.3.6.1.2.1.33.1.1.1.0', type: 4, value: Buffer.from('APC') }, // upsIdentManufacturer
  { oid: '1.3.6.1.2.1.33.1.1.2.0', type: 4, value: Buffer.from('Smart-UPS 1500') }, // upsIdentModel
  { oid: '1.3.6.1.2.1.33.1.1.3.0', type: 4, value: Buffer.from('UPS 09.3') }, // upsIdentUPSSoftwareVersion
  { oid: '1.3.6.1.2.1.33.1.2.1.0', type: 2, value: 2 }, // upsBatteryStatus: normal
  { oid: '1.3.6.1.2.1.33.1.2.2.0', type: 2, value: 0 }, // upsSecondsOnBattery
  { oid: '1.3.6.1.2.1.33.1.2.3.0', type: 2, value: 48 }, // upsEstimatedMinutesRemaining
  { oid: '1.3.6.1.2.1.33.1.2.4.0', type: 2, value: 100 }, // upsEstimatedChargeRemaining, %
  { oid: '1.3.6.1.2.1.33.1.2.5.0', type: 2, value: 273 }, // upsBatteryVoltage: 27.3 V
  { oid: '1.3.6.1.2.1.33.1.2.7.0', type: 2, value: 31 }, // upsBatteryTemperature, °C
  { oid: '1.3.6.1.2.1.33.1.3.1.0', type: 65, value: 3 }, // upsInputLineBads (Counter32)
  { oid: '1.3.6.1.2.1.33.1.4.1.0', type: 2, value: 3 }, // upsOutputSource: normal
  { oid: '1.3.6.1.2.1.33.1.4.2.0', type: 2, value: 500 }, // upsOutputFrequency: 50.0 Hz
  { oid: '1.3.6.1.2.1.33.1.6.1.0', type: 66, value: 0 }, // upsAlarmsPresent (Gauge32)
];

/** ON_MAINS with some OIDs answered differently. */
function withValues(changes: Record<string, Partial<Varbind>>): Varbind[] {
  return ON_MAINS.map((vb) => ({ ...vb, ...changes[vb.oid] }));
}

describe('UPS_MIB scalars', () => {
  it('lists the OIDs to GET, one per scalar', () => {
    expect(scalarOids(UPS_MIB)).toHaveLength(13);
    expect(scalarOids(UPS_MIB)).toContain('1.3.6.1.2.1.33.1.2.1.0');
  });

  it('decodes a UPS on mains, with enums as names and tenths scaled', () => {
    expect(decodeScalars(UPS_MIB, ON_MAINS)).toEqual({
      metrics: {
        manufacturer: 'APC',
        model: 'Smart-UPS 1500',
        softwareVersion: 'UPS 09.3',
        batteryStatus: 'normal',
        secondsOnBattery: 0,
        minutesRemaining: 48,
        chargePct: 100,
        batteryVoltageV: 27.3,
        batteryTemperatureC: 31,
        inputLineBads: 3,
        outputSource: 'normal',
        outputFrequencyHz: 50,
        alarmsPresent: 0,
        onBattery: false,
        lowBattery: false,
      },
      missing: [],
      invalid: [],
    });
  });

  it('derives onBattery and lowBattery for a UPS running down on battery', () => {
    const { metrics } = decodeScalars(
      UPS_MIB,
      withValues({
        '1.3.6.1.2.1.33.1.2.1.0': { value: 3 }, // low
        '1.3.6.1.2.1.33.1.2.2.0': { value: 540 },
        '1.3.6.1.2.1.33.1.4.1.0': { value: 5 }, // battery
      }),
    );
    expect(metrics).toMatchObject({ batteryStatus: 'low', outputSource: 'battery', secondsOnBattery: 540, onBattery: true, lowBattery: true });
  });

  it('counts seconds on battery as on battery even when the output source says otherwise', () => {
    expect(deriveUpsMetrics({ outputSource: 'normal', secondsOnBattery: 12 })).toEqual({ onBattery: true });
    expect(deriveUpsMetrics({ batteryStatus: 'depleted' })).toEqual({ lowBattery: true });
    expect(deriveUpsMetrics({})).toEqual({});
  });

  it('lists OIDs the agent lacks as missing and leaves their metrics out', () => {
    const result = decodeScalars(
      UPS_MIB,
      withValues({
        '1.3.6.1.2.1.33.1.2.7.0': { type: 128, value: null }, // noSuchObject: no temperature sensor
        '1.3.6.1.2.1.33.1.4.2.0': { type: 129, value: null }, // noSuchInstance
      }).filter((vb) => vb.oid !== '1.3.6.1.2.1.33.1.6.1.0'), // left out of the answer
    );
    expect(result.missing).toEqual(['1.3.6.1.2.1.33.1.2.7.0', '1.3.6.1.2.1.33.1.4.2.0', '1.3.6.1.2.1.33.1.6.1.0']);
    expect(result.metrics).not.toHaveProperty('batteryTemperatureC');
    expect(result.metrics).toHaveProperty('chargePct', 100);
  });

  it('reports a value of the wrong type as invalid, keeping the rest', () => {
    const result = decodeScalars(UPS_MIB, withValues({ '1.3.6.1.2.1.33.1.2.4.0': { type: 4, value: Buffer.from('full') } }));
    expect(result.invalid).toEqual([{ oid: '1.3.6.1.2.1.33.1.2.4.0', metric: 'chargePct', reason: 'expected a number (integer), got "full"' }]);
    expect(result.metrics).not.toHaveProperty('chargePct');
    expect(result.metrics).toHaveProperty('minutesRemaining', 48);
  });

  it('reads a number an agent sends as text, and maps an undefined enum value to unknown(<n>)', () => {
    const { metrics } = decodeScalars(
      UPS_MIB,
      withValues({ '1.3.6.1.2.1.33.1.2.4.0': { type: 4, value: Buffer.from('87') }, '1.3.6.1.2.1.33.1.4.1.0': { value: 9 } }),
    );
    expect(metrics).toMatchObject({ chargePct: 87, outputSource: 'unknown(9)' });
  });

  it('accepts OIDs with a leading dot', () => {
    const { metrics } = decodeScalars(UPS_MIB, ON_MAINS.map((vb) => ({ ...vb, oid: `.${vb.oid}` })));
    expect(metrics).toHaveProperty('batteryStatus', 'normal');
  });
});

describe('UPS_MIB input and output tables', () => {
  const [input, output] = UPS_MIB.tables ?? [];

  // Walks of the input and output tables of a three-phase UPS (lines 1..3).
  const WALK: Varbind[] = [
    { oid: '1.3.6.1.2.1.33.1.3.3.1.2.1', type: 2, value: 500 }, // upsInputFrequency.1: 50.0 Hz
    { oid: '1.3.6.1.2.1.33.1.3.3.1.2.2', type: 2, value: 499 }, // upsInputFrequency.2
    { oid: '1.3.6.1.2.1.33.1.3.3.1.2.3', type: 2, value: 501 }, // upsInputFrequency.3
    { oid: '1.3.6.1.2.1.33.1.3.3.1.3.1', type: 2, value: 231 }, // upsInputVoltage.1: 231 V
    { oid: '1.3.6.1.2.1.33.1.3.3.1.3.2', type: 2, value: 229 }, // upsInputVoltage.2
    { oid: '1.3.6.1.2.1.33.1.3.3.1.3.3', type: 2, value: 0 }, // upsInputVoltage.3: phase lost
    { oid: '1.3.6.1.2.1.33.1.4.4.1.2.1', type: 2, value: 230 }, // upsOutputVoltage.1
    { oid: '1.3.6.1.2.1.33.1.4.4.1.3.1', type: 2, value: 52 }, // upsOutputCurrent.1: 5.2 A
    { oid: '1.3.6.1.2.1.33.1.4.4.1.5.1', type: 2, value: 38 }, // upsOutputPercentLoad.1
  ];

  it('walks the input and output columns the profile names', () => {
    expect(input && tableColumnOids(input)).toEqual(['1.3.6.1.2.1.33.1.3.3.1.2', '1.3.6.1.2.1.33.1.3.3.1.3']);
    expect(output && tableColumnOids(output)).toContain('1.3.6.1.2.1.33.1.4.4.1.5');
  });

  it('decodes one row per input line, named in<line>', () => {
    const { rows } = input ? decodeTable(input, WALK) : { rows: new Map() };
    expect([...rows]).toEqual([
      ['1', { frequencyHz: 50, voltageV: 231 }],
      ['2', { frequencyHz: 49.9, voltageV: 229 }],
      ['3', { frequencyHz: 50.1, voltageV: 0 }],
    ]);
    expect(input && rowComponent(input, '3', {})).toBe('in3');
  });

  it('decodes the output line, with its load percentage', () => {
    expect(output && decodeTable(output, WALK).rows.get('1')).toEqual({ voltageV: 230, currentA: 5.2, loadPct: 38 });
  });
});

describe('UPS_MIB as data', () => {
  it('passes profile validation', () => {
    expect(validateSnmpProfile(UPS_MIB)).toBe(UPS_MIB);
  });
});
