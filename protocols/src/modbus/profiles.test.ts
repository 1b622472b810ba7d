import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validatePayload } from '../contract/codec.js';
import { decodeProfileValues } from './decode.js';
import { planReads } from './plan.js';
import { SHIPPED_PROFILES, shippedProfile } from './profiles.js';
import { decodeResponse, encodeRequest } from './rtu.js';
import { METRIC_PATTERN } from './schema.js';
import { codeOf } from './test-utils/errors.js';
import { validateProfile } from './validate.js';

// Reference capture: the XY-MD02 answer to "read input registers 1..2".
const SENSOR_RESPONSE = Uint8Array.from([
  0x01, // unit id 1
  0x04, // function 04: read input registers
  0x04, // byte count 4
  0x01, 0x31, // register 1 = 305 → 30.5 °C
  0x02, 0x22, // register 2 = 546 → 54.6 %
  0x2a, 0xce, // CRC
]);

// The same sensor in a frosty cabinet.
const SENSOR_RESPONSE_FROST = Uint8Array.from([
  0x01, // unit id 1
  0x04, // function 04
  0x04, // byte count 4
  0xff, 0xcb, // register 1 = -53 (s16) → -5.3 °C
  0x03, 0x84, // register 2 = 900 → 90.0 %
  0xba, 0xfd, // CRC
]);

const PROFILE_DIR = new URL('./profiles/', import.meta.url);

describe('shipped profiles', () => {
  it('ships every profile file in profiles/ under its own name', () => {
    const files = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.json'));
    expect([...SHIPPED_PROFILES.keys()].sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
    for (const file of files) {
      const json: unknown = JSON.parse(readFileSync(new URL(file, PROFILE_DIR), 'utf8'));
      expect(validateProfile(json).name).toBe(file.replace(/\.json$/, ''));
    }
  });

  it('uses metric names the MQTT contract accepts', () => {
    const metrics = [...SHIPPED_PROFILES.values()].flatMap((p) => p.registers.map((r) => r.metric));
    expect(metrics.filter((m) => !new RegExp(METRIC_PATTERN).test(m))).toEqual([]);
  });

  it('names the known profiles when asked for an unknown one', () => {
    expect(codeOf(() => shippedProfile('xy-md03'))).toBe('unknown-profile');
    expect(() => shippedProfile('xy-md03')).toThrow('no shipped Modbus profile is named "xy-md03"');
  });
});

describe('xy-md02 profile', () => {
  const profile = shippedProfile('xy-md02');
  const [block] = planReads(profile);

  it('plans the reference request: unit 1, input registers 1..2', () => {
    expect(planReads(profile)).toEqual([{ function: 'input', address: 1, quantity: 2, metrics: ['temperatureC', 'humidityPct'] }]);
    expect(encodeRequest(profile.defaults?.unitId ?? 1, { fc: 4, address: 1, quantity: 2 })).toEqual(Uint8Array.from([0x01, 0x04, 0x00, 0x01, 0x00, 0x02, 0x20, 0x0b]));
  });

  it('decodes the reference response to 30.5 °C and 54.6 %', () => {
    const { response } = decodeResponse(SENSOR_RESPONSE, { unitId: 1, request: { fc: 4, address: 1, quantity: 2 } });
    expect(block && 'registers' in response ? decodeProfileValues(profile, [{ block, values: response.registers }]) : undefined).toEqual({
      temperatureC: 30.5,
      humidityPct: 54.6,
    });
  });

  it('decodes a temperature below zero as negative', () => {
    const { response } = decodeResponse(SENSOR_RESPONSE_FROST);
    expect(block && 'registers' in response ? decodeProfileValues(profile, [{ block, values: response.registers }]) : undefined).toEqual({
      temperatureC: -5.3,
      humidityPct: 90,
    });
  });
});

describe('led-psu-generic profile', () => {
  const profile = shippedProfile('led-psu-generic');

  it('reads everything in one block of seven input registers', () => {
    expect(planReads(profile).map((b) => [b.function, b.address, b.quantity])).toEqual([['input', 0, 7]]);
  });

  it('decodes hand-made registers of a PSU running hot with its fan stopped', () => {
    const registers = [
      498, // 0: output voltage 4.98 V
      3_712, // 1: output current 37.12 A
      0x02ef, // 2: temperature 75.1 °C
      2_301, // 3: input voltage 230.1 V
      0b1010, // 4: status: over-temperature (bit 1) and fan fail (bit 3)
      0x0001, 0x1170, // 5..6: runtime 0x00011170 = 70000 h
    ];
    expect(decodeProfileValues(profile, [{ block: { function: 'input', address: 0 }, values: registers }])).toEqual({
      outputVoltageV: 4.98,
      outputCurrentA: 37.12,
      temperatureC: 75.1,
      inputVoltageV: 230.1,
      fault: false,
      overTemperature: true,
      underVoltage: false,
      fanFail: true,
      runtimeH: 70000,
    });
  });

  it('produces metrics a telemetry payload of the MQTT contract accepts', () => {
    const metrics = decodeProfileValues(profile, [{ block: { function: 'input', address: 0 }, values: [500, 0, 250, 2300, 0, 0, 1] }]);
    const payload = { seq: 1, readings: [{ device: 'psu-1', at: 1_750_000_000_000, metrics }] };
    expect(validatePayload('telemetry', payload)).toBe(payload);
  });

  it('carries alarm hints for every status bit', () => {
    expect(profile.alarms?.filter((a) => a.equals === true).map((a) => a.metric)).toEqual(['fault', 'overTemperature', 'underVoltage', 'fanFail']);
  });
});

describe('eastron-sdm630 profile', () => {
  const profile = shippedProfile('eastron-sdm630');

  it('plans four reads for its four runs of registers', () => {
    expect(planReads(profile).map((b) => [b.address, b.quantity])).toEqual([
      [0, 18],
      [52, 2],
      [70, 4],
      [342, 2],
    ]);
  });

  it('decodes big-endian floats to tidy values', () => {
    const values = decodeProfileValues(profile, [
      { block: { function: 'input', address: 70 }, values: [0x4248, 0x0000, 0x4640, 0xe6ae] }, // 50.0 Hz, 12345.67 kWh
    ]);
    expect(values).toEqual({ frequencyHz: 50, importEnergyKWh: 12345.67 });
  });
});
