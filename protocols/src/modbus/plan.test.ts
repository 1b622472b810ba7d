import { describe, expect, it } from 'vitest';
import { planReads } from './plan.js';
import type { ModbusProfile, ModbusRegister } from './schema.js';
import { codeOf } from './test-utils/errors.js';

const reg = (metric: string, fn: ModbusRegister['function'], address: number, type?: ModbusRegister['type']): ModbusRegister =>
  type === undefined ? { metric, function: fn, address } : { metric, function: fn, address, type };

const profile = (registers: ModbusRegister[], readGap?: number): ModbusProfile =>
  readGap === undefined ? { name: 'p', registers } : { name: 'p', registers, readGap };

describe('planReads', () => {
  it('reads adjacent registers in one block, whatever order the profile lists them in', () => {
    expect(planReads(profile([reg('b', 'input', 2), reg('a', 'input', 1)]))).toEqual([
      { function: 'input', address: 1, quantity: 2, metrics: ['a', 'b'] },
    ]);
  });

  it('counts two registers for 32-bit types', () => {
    expect(planReads(profile([reg('hours', 'input', 5, 'u32'), reg('status', 'input', 7)]))).toEqual([
      { function: 'input', address: 5, quantity: 3, metrics: ['hours', 'status'] },
    ]);
  });

  it('reads one register once when several metrics use its bits', () => {
    const regs: ModbusRegister[] = [
      { metric: 'fault', function: 'input', address: 4, bit: 0 },
      { metric: 'fan', function: 'input', address: 4, bit: 3 },
    ];
    expect(planReads(profile(regs))).toEqual([{ function: 'input', address: 4, quantity: 1, metrics: ['fault', 'fan'] }]);
  });

  it('keeps functions apart, in the order holding, input, coil, discrete', () => {
    const blocks = planReads(profile([reg('d', 'discrete', 0), reg('c', 'coil', 0), reg('i', 'input', 0), reg('h', 'holding', 0)]));
    expect(blocks.map((b) => b.function)).toEqual(['holding', 'input', 'coil', 'discrete']);
  });

  it('does not read across unmapped registers by default', () => {
    expect(planReads(profile([reg('a', 'input', 0), reg('b', 'input', 2)])).map((b) => [b.address, b.quantity])).toEqual([
      [0, 1],
      [2, 1],
    ]);
  });

  it('spans gaps up to the profile readGap, and the maxGap option overrides it', () => {
    const p = profile([reg('a', 'input', 0), reg('b', 'input', 4), reg('c', 'input', 10)], 3);
    expect(planReads(p).map((b) => [b.address, b.quantity])).toEqual([
      [0, 5],
      [10, 1],
    ]);
    expect(planReads(p, { maxGap: 5 }).map((b) => [b.address, b.quantity])).toEqual([[0, 11]]);
    expect(planReads(p, { maxGap: 0 })).toHaveLength(3);
  });

  it('splits at 125 registers per read, never cutting a 32-bit value in two', () => {
    const regs = Array.from({ length: 100 }, (_, i) => reg(`f${i}`, 'input', 2 * i, 'f32'));
    const blocks = planReads(profile(regs));
    expect(blocks.map((b) => [b.address, b.quantity])).toEqual([
      [0, 124],
      [124, 76],
    ]);
    expect(blocks.flatMap((b) => b.metrics)).toHaveLength(100);
  });

  it('honours a smaller maxRegisters for devices that take fewer per read', () => {
    const regs = Array.from({ length: 10 }, (_, i) => reg(`r${i}`, 'holding', i));
    expect(planReads(profile(regs), { maxRegisters: 4 }).map((b) => b.quantity)).toEqual([4, 4, 2]);
  });

  it('reads up to 2000 coils in one block', () => {
    const regs = [reg('first', 'coil', 0), reg('last', 'coil', 1999), reg('beyond', 'coil', 2000)];
    expect(planReads(profile(regs), { maxGap: 124 }).map((b) => [b.address, b.quantity])).toEqual([
      [0, 1],
      [1999, 2],
    ]);
  });

  it('refuses options outside their range as bad-field', () => {
    const p = profile([reg('a', 'input', 0)]);
    expect(codeOf(() => planReads(p, { maxRegisters: 126 }))).toBe('bad-field');
    expect(codeOf(() => planReads(p, { maxGap: -1 }))).toBe('bad-field');
    expect(codeOf(() => planReads(p, { maxBits: 2001 }))).toBe('bad-field');
  });
});
