import { modbus, type MetricValue } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { defaultValues } from './defaults.js';
import { encodeProfileValues, readerFromTable } from './encode.js';

const profile = (registers: modbus.ModbusRegister[]): modbus.ModbusProfile => ({ name: 'p', registers });
const roundTrip = (p: modbus.ModbusProfile, values: Record<string, MetricValue>) => modbus.decodeProfileValues(p, readerFromTable(encodeProfileValues(p, values)));
const words = (p: modbus.ModbusProfile, values: Record<string, MetricValue>) => [...encodeProfileValues(p, values)];

describe('encoding metric values into registers', () => {
  it.each([...modbus.SHIPPED_PROFILES.keys()])('gives back the default values of %s through the decoder', (name) => {
    const p = modbus.shippedProfile(name);
    expect(roundTrip(p, defaultValues(p))).toEqual(defaultValues(p));
  });

  it('holds the reference sensor reading in the registers of the reference vector', () => {
    expect(words(modbus.shippedProfile('xy-md02'), { temperatureC: 30.5, humidityPct: 54.6 })).toEqual([
      ['input:1', 0x0131],
      ['input:2', 0x0222],
    ]);
  });

  it('stores negative signed values in two’s complement', () => {
    const p = profile([{ metric: 't', function: 'input', address: 0, type: 's16', scale: 0.1 }]);
    expect(words(p, { t: -12.5 })).toEqual([['input:0', 0xff83]]);
    expect(roundTrip(p, { t: -12.5 })).toEqual({ t: -12.5 });
  });

  it('splits 32-bit values into words in the profile’s word order', () => {
    const big = profile([{ metric: 'h', function: 'holding', address: 10, type: 'u32' }]);
    const little = profile([{ metric: 'h', function: 'holding', address: 10, type: 'u32', wordOrder: 'little' }]);
    expect(words(big, { h: 0x12345678 })).toEqual([['holding:10', 0x1234], ['holding:11', 0x5678]]);
    expect(words(little, { h: 0x12345678 })).toEqual([['holding:10', 0x5678], ['holding:11', 0x1234]]);
    const s32 = profile([{ metric: 'e', function: 'input', address: 0, type: 's32', scale: 0.001, offset: 10 }]);
    expect(roundTrip(s32, { e: -123456.789 })).toEqual({ e: -123456.789 });
  });

  it('encodes IEEE floats with scale and little word order', () => {
    const p = profile([{ metric: 'f', function: 'input', address: 0, type: 'f32', wordOrder: 'little', scale: 1000 }]);
    expect(roundTrip(p, { f: 22300 })).toEqual({ f: 22300 });
  });

  it('packs booleans that share a word into their bits', () => {
    const p = modbus.shippedProfile('led-psu-generic');
    const table = encodeProfileValues(p, { ...defaultValues(p), fault: true, fanFail: true });
    expect(table.get('input:4')).toBe(0b1001);
  });

  it('maps state names back to their raw values, for registers and for coils', () => {
    const p = profile([
      { metric: 'mode', function: 'holding', address: 0, states: { '0': 'off', '1': 'on', '5': 'eco' } },
      { metric: 'door', function: 'discrete', address: 0, states: { '0': 'closed', '1': 'open' } },
    ]);
    expect(words(p, { mode: 'eco', door: 'open' })).toEqual([['holding:0', 5], ['discrete:0', 1]]);
  });

  it('refuses values a register cannot hold, naming the metric', () => {
    const p = profile([
      { metric: 'v', function: 'input', address: 0, scale: 0.01 },
      { metric: 'b', function: 'coil', address: 0 },
      { metric: 's', function: 'holding', address: 1, states: { '0': 'off' } },
    ]);
    const code = (values: Record<string, MetricValue>) => {
      try {
        encodeProfileValues(p, values);
        return undefined;
      } catch (err) {
        return [(err as { code?: string }).code, (err as Error).message];
      }
    };
    expect(code({ v: 700 })).toEqual(['modbus-simulator', expect.stringMatching(/"v" cannot hold 70000: raw 70000 is outside u16/)]);
    expect(code({ v: -1 })).toEqual(['modbus-simulator', expect.stringMatching(/outside u16/)]);
    expect(code({ b: 1 })).toEqual(['modbus-simulator', expect.stringMatching(/"b" .* expected true or false/)]);
    expect(code({ s: 'auto' })).toEqual(['modbus-simulator', expect.stringMatching(/expected one of off/)]);
  });

  it('leaves mapped registers at 0 and unmapped ones absent', () => {
    const reader = readerFromTable(encodeProfileValues(modbus.shippedProfile('xy-md02'), {}));
    expect([reader('input', 1), reader('input', 2), reader('input', 0), reader('input', 3)]).toEqual([0, 0, undefined, undefined]);
  });
});
