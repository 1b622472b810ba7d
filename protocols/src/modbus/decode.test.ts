import { describe, expect, it } from 'vitest';
import { decimals, decodeProfileValues, decodeRegister, fromWords, readerFromBlocks, scaleValue, type RegisterReader } from './decode.js';
import type { ModbusProfile, ModbusRegister } from './schema.js';

/** A reader over holding registers given as { address: u16 }. */
const holding = (values: Record<number, number>): RegisterReader => (fn, address) => (fn === 'holding' ? values[address] : undefined);

const decode = (reg: Omit<ModbusRegister, 'metric' | 'function'>, values: Record<number, number>) =>
  decodeRegister({ metric: 'm', function: 'holding', ...reg }, holding(values));

describe('16-bit values', () => {
  it('reads u16 by default and s16 as two’s complement', () => {
    expect(decode({ address: 0 }, { 0: 0xff9c })).toBe(65436);
    expect(decode({ address: 0, type: 's16' }, { 0: 0xff9c })).toBe(-100);
    expect(decode({ address: 0, type: 's16' }, { 0: 0x7fff })).toBe(32767);
  });

  it('scales and offsets without float noise', () => {
    expect(decode({ address: 0, scale: 0.1 }, { 0: 305 })).toBe(30.5);
    expect(decode({ address: 0, scale: 0.1 }, { 0: 546 })).toBe(54.6);
    expect(decode({ address: 0, scale: 0.01 }, { 0: 1234 })).toBe(12.34);
    expect(decode({ address: 0, type: 's16', scale: 0.1 }, { 0: 0xffcb })).toBe(-5.3);
    expect(decode({ address: 0, scale: 0.5, offset: -40 }, { 0: 131 })).toBe(25.5);
    expect(decode({ address: 0, scale: 0.001 }, { 0: 3 })).toBe(0.003);
  });

  it('turns one bit into a boolean, ignoring the others', () => {
    expect(decode({ address: 0, bit: 0 }, { 0: 0b1010 })).toBe(false);
    expect(decode({ address: 0, bit: 1 }, { 0: 0b1010 })).toBe(true);
    expect(decode({ address: 0, bit: 15 }, { 0: 0x8000 })).toBe(true);
  });

  it('maps enumerations to state names and unknown values to unknown(<raw>)', () => {
    const states = { '0': 'off', '1': 'on', '-1': 'error' };
    expect(decode({ address: 0, states }, { 0: 1 })).toBe('on');
    expect(decode({ address: 0, type: 's16', states }, { 0: 0xffff })).toBe('error');
    expect(decode({ address: 0, states }, { 0: 9 })).toBe('unknown(9)');
    expect(decode({ address: 0, bit: 2, states: { '0': 'closed', '1': 'open' } }, { 0: 0b100 })).toBe('open');
  });
});

describe('32-bit values and word order', () => {
  it('reads u32 high word first by default and low word first with wordOrder little', () => {
    expect(decode({ address: 10, type: 'u32' }, { 10: 0x0001, 11: 0x2345 })).toBe(0x12345);
    expect(decode({ address: 10, type: 'u32', wordOrder: 'big' }, { 10: 0x0001, 11: 0x2345 })).toBe(0x12345);
    expect(decode({ address: 10, type: 'u32', wordOrder: 'little' }, { 10: 0x2345, 11: 0x0001 })).toBe(0x12345);
    expect(decode({ address: 10, type: 'u32' }, { 10: 0xffff, 11: 0xffff })).toBe(4294967295);
  });

  it('reads s32 as two’s complement in either word order', () => {
    expect(decode({ address: 0, type: 's32' }, { 0: 0xffff, 1: 0xfffe })).toBe(-2);
    expect(decode({ address: 0, type: 's32', wordOrder: 'little' }, { 0: 0xfffe, 1: 0xffff })).toBe(-2);
    expect(decode({ address: 0, type: 's32', scale: 0.01 }, { 0: 0xffff, 1: 0xff85 })).toBe(-1.23);
  });

  it('reads f32 in either word order, rounded to the 7 digits a float holds', () => {
    expect(decode({ address: 0, type: 'f32' }, { 0: 0x41f4, 1: 0x0000 })).toBe(30.5);
    expect(decode({ address: 0, type: 'f32', wordOrder: 'little' }, { 0: 0x0000, 1: 0x41f4 })).toBe(30.5);
    expect(decode({ address: 0, type: 'f32' }, { 0: 0x41b2, 1: 0x6666 })).toBe(22.3);
    expect(decode({ address: 0, type: 'f32' }, { 0: 0x4366, 1: 0x199a })).toBe(230.1);
    expect(decode({ address: 0, type: 'f32', scale: 1000 }, { 0: 0x41b2, 1: 0x6666 })).toBe(22300);
  });

  it('leaves out an f32 that is NaN or infinite', () => {
    expect(decode({ address: 0, type: 'f32' }, { 0: 0x7fc0, 1: 0x0000 })).toBeUndefined();
    expect(decode({ address: 0, type: 'f32' }, { 0: 0x7f80, 1: 0x0000 })).toBeUndefined();
  });

  it('leaves out a 32-bit value when either half was not read', () => {
    expect(decode({ address: 0, type: 'u32' }, { 0: 1 })).toBeUndefined();
    expect(decode({ address: 0, type: 'u32' }, { 1: 1 })).toBeUndefined();
  });

  it('combines words the same way through fromWords', () => {
    expect(fromWords('u32', 0x8000, 0)).toBe(0x80000000);
    expect(fromWords('s32', 0x8000, 0)).toBe(-0x80000000);
    expect(fromWords('f32', 0xc120, 0)).toBe(-10);
  });
});

describe('coils and discrete inputs', () => {
  const coils: RegisterReader = (fn, address) => (fn === 'coil' ? [1, 0][address] : undefined);

  it('decodes bits to booleans, or to state names when the profile gives states', () => {
    expect(decodeRegister({ metric: 'relay', function: 'coil', address: 0 }, coils)).toBe(true);
    expect(decodeRegister({ metric: 'door', function: 'coil', address: 1, states: { '0': 'closed', '1': 'open' } }, coils)).toBe('closed');
  });
});

describe('decodeProfileValues', () => {
  const profile: ModbusProfile = {
    name: 'p',
    registers: [
      { metric: 'voltageV', function: 'input', address: 0, scale: 0.01 },
      { metric: 'alarm', function: 'discrete', address: 3 },
      { metric: 'setpointV', function: 'holding', address: 100, scale: 0.01 },
    ],
  };

  it('decodes from block results, taking coil values as booleans', () => {
    const values = decodeProfileValues(profile, [
      { block: { function: 'input', address: 0 }, values: [500] },
      { block: { function: 'discrete', address: 3 }, values: [true] },
      { block: { function: 'holding', address: 100 }, values: [480] },
    ]);
    expect(values).toEqual({ voltageV: 5, alarm: true, setpointV: 4.8 });
  });

  it('leaves out metrics whose block was not read, keeping the rest', () => {
    expect(decodeProfileValues(profile, [{ block: { function: 'input', address: 0 }, values: [500] }])).toEqual({ voltageV: 5 });
  });

  it('accepts a reader function instead of blocks', () => {
    const reader = readerFromBlocks([{ block: { function: 'holding', address: 99 }, values: [0, 500] }]);
    expect(decodeProfileValues(profile, reader)).toEqual({ setpointV: 5 });
  });
});

describe('rounding helpers', () => {
  it('counts the decimals a scale implies, including exponent notation', () => {
    expect([decimals(1), decimals(0.1), decimals(0.01), decimals(0.005), decimals(1e-7), decimals(25), decimals(-0.25)]).toEqual([0, 1, 2, 3, 7, 0, 2]);
  });

  it('rounds integer results to the scale’s decimals and float results to 7 digits', () => {
    expect(scaleValue(305, 0.1, 0)).toBe(30.5);
    expect(scaleValue(7, 1 / 3, 0)).toBe(2.333333333333);
    expect(scaleValue(0.30000001192092896, 1, 0, true)).toBe(0.3);
  });
});
