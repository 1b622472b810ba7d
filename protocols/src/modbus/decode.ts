/**
 * Register values → metrics, as a profile says: 32-bit values from two registers in the
 * profile's word order, sign, scale and offset, single bits as booleans, enumerations as
 * state names. Scaled values are rounded to the decimals the scale implies (raw 305 ×
 * 0.1 → 30.5, not 30.500000000000004); f32 values to the 7 significant digits a float32
 * holds (22.299999237 → 22.3).
 *
 * A metric whose registers were not read (the reader returns undefined) is left out, so a
 * block that failed with an exception does not hide the others. An f32 that is NaN or
 * infinite (devices use it for "no value") is left out too.
 */
import type { MetricValue } from '../contract/payloads.js';
import type { RegisterFunction } from './pdu.js';
import type { ModbusProfile, ModbusRegister } from './schema.js';
import { isBitFunction } from './validate.js';

/** The raw u16 at (function, address), 0/1 for bits; undefined when it was not read. */
export type RegisterReader = (fn: RegisterFunction, address: number) => number | undefined;

/** Values read for one block: registers as u16, coils and discrete inputs as booleans or 0/1. */
export interface BlockValues {
  readonly block: { readonly function: RegisterFunction; readonly address: number };
  readonly values: readonly (number | boolean)[];
}

export function readerFromBlocks(results: readonly BlockValues[]): RegisterReader {
  const table = new Map<string, number>();
  for (const { block, values } of results) {
    values.forEach((v, i) => table.set(`${block.function}:${block.address + i}`, typeof v === 'boolean' ? Number(v) : v));
  }
  return (fn, address) => table.get(`${fn}:${address}`);
}

/** Decodes every metric of the profile whose registers the reader has. */
export function decodeProfileValues(profile: ModbusProfile, source: RegisterReader | readonly BlockValues[]): Record<string, MetricValue> {
  const read = typeof source === 'function' ? source : readerFromBlocks(source);
  const out: Record<string, MetricValue> = {};
  for (const reg of profile.registers) {
    const value = decodeRegister(reg, read);
    if (value !== undefined) out[reg.metric] = value;
  }
  return out;
}

/** One register's metric value, or undefined when its registers were not read. */
export function decodeRegister(reg: ModbusRegister, read: RegisterReader): MetricValue | undefined {
  const first = read(reg.function, reg.address);
  if (first === undefined) return undefined;
  if (isBitFunction(reg.function)) return reg.states ? stateName(reg.states, first ? 1 : 0) : first !== 0;
  const type = reg.type ?? 'u16';
  let raw: number;
  if (type === 'u16' || type === 's16') {
    raw = type === 's16' && first >= 0x8000 ? first - 0x10000 : first;
    if (reg.bit !== undefined) {
      const bit = (first >> reg.bit) & 1;
      return reg.states ? stateName(reg.states, bit) : bit === 1;
    }
  } else {
    const second = read(reg.function, reg.address + 1);
    if (second === undefined) return undefined;
    const [hi, lo] = reg.wordOrder === 'little' ? [second, first] : [first, second];
    raw = fromWords(type, hi, lo);
    if (!Number.isFinite(raw)) return undefined;
  }
  if (reg.states) return stateName(reg.states, raw);
  return scaleValue(raw, reg.scale ?? 1, reg.offset ?? 0, type === 'f32');
}

/** Combines a high and a low word into a u32, s32 or f32. */
export function fromWords(type: 'u32' | 's32' | 'f32', hi: number, lo: number): number {
  if (type === 'u32') return hi * 0x10000 + lo;
  if (type === 's32') return ((hi << 16) | lo) | 0;
  const view = new DataView(new ArrayBuffer(4));
  view.setUint16(0, hi);
  view.setUint16(2, lo);
  return view.getFloat32(0);
}

/** `raw × scale + offset`, with float noise rounded away. */
export function scaleValue(raw: number, scale: number, offset: number, float32 = false): number {
  if (float32) {
    const v = significant(raw, 7);
    return scale === 1 && offset === 0 ? v : significant(v * scale + offset, 7);
  }
  const places = Math.min(12, Math.max(decimals(scale), decimals(offset)));
  return Number((raw * scale + offset).toFixed(places));
}

function significant(x: number, digits: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits));
}

/** Decimal places in the shortest text of `x`: 0.01 → 2, 1e-7 → 7, 25 → 0. */
export function decimals(x: number): number {
  const [mantissa = '', exponent = '0'] = String(x).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function stateName(states: Readonly<Record<string, string>>, raw: number): string {
  return states[String(raw)] ?? `unknown(${raw})`;
}
