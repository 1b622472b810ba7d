/**
 * Metric values → register values: the inverse of protocols' `decodeRegister`, so a
 * simulator holds exactly the registers a real device showing those values would. Offset
 * and scale are undone (`raw = round((value − offset) / scale)`), signed values stored in
 * two's complement, 32-bit values split into two words in the profile's word order,
 * booleans set or clear their bit, and state names map back to their raw value.
 *
 * Every address the profile occupies starts at 0, so reads of mapped registers succeed
 * and reads of unmapped ones find nothing (the server answers exception 2).
 */
import { modbus, type MetricValue } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';

type ModbusProfile = modbus.ModbusProfile;
type ModbusRegister = modbus.ModbusRegister;
type RegisterFunction = modbus.RegisterFunction;

/** Register values by `function:address`: u16 for registers, 0/1 for coils and discrete inputs. */
export type RegisterTable = Map<string, number>;

export function registerKey(fn: RegisterFunction, address: number): string {
  return `${fn}:${address}`;
}

export function readerFromTable(table: ReadonlyMap<string, number>): modbus.RegisterReader {
  return (fn, address) => table.get(registerKey(fn, address));
}

/** The registers holding `values`; metrics left out read as 0. */
export function encodeProfileValues(profile: ModbusProfile, values: Readonly<Record<string, MetricValue>>): RegisterTable {
  const table: RegisterTable = new Map();
  for (const reg of profile.registers) {
    for (let i = 0; i < modbus.registerWidth(reg); i++) table.set(registerKey(reg.function, reg.address + i), 0);
  }
  // Whole words first, then the bits that share a word with others.
  const ordered = [...profile.registers].sort((a, b) => Number(a.bit !== undefined) - Number(b.bit !== undefined));
  for (const reg of ordered) {
    const value = values[reg.metric];
    if (value !== undefined) encodeRegister(reg, value, table);
  }
  return table;
}

/** Writes one metric's value into the table (throws `modbus-simulator` when it cannot hold it). */
export function encodeRegister(reg: ModbusRegister, value: MetricValue, table: RegisterTable): void {
  const key = registerKey(reg.function, reg.address);
  if (modbus.isBitFunction(reg.function)) {
    table.set(key, bitOf(reg, value));
    return;
  }
  if (reg.bit !== undefined) {
    const word = table.get(key) ?? 0;
    table.set(key, bitOf(reg, value) ? word | (1 << reg.bit) : word & ~(1 << reg.bit) & 0xffff);
    return;
  }
  const words = toWords(reg, rawValue(reg, value));
  words.forEach((word, i) => table.set(registerKey(reg.function, reg.address + i), word));
}

function bitOf(reg: ModbusRegister, value: MetricValue): 0 | 1 {
  if (reg.states !== undefined) {
    const raw = stateRaw(reg, value);
    if (raw === 0 || raw === 1) return raw;
    throw misfit(reg, value, 'a bit holds 0 or 1');
  }
  if (typeof value !== 'boolean') throw misfit(reg, value, 'expected true or false');
  return value ? 1 : 0;
}

/** The raw number a register holds before it is split into words. */
function rawValue(reg: ModbusRegister, value: MetricValue): number {
  if (reg.states !== undefined) return stateRaw(reg, value);
  if (typeof value !== 'number' || !Number.isFinite(value)) throw misfit(reg, value, 'expected a finite number');
  const unscaled = (value - (reg.offset ?? 0)) / (reg.scale ?? 1);
  return reg.type === 'f32' ? unscaled : Math.round(unscaled);
}

function stateRaw(reg: ModbusRegister, value: MetricValue): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const entry = Object.entries(reg.states ?? {}).find(([, name]) => name === value);
  if (entry === undefined) throw misfit(reg, value, `expected one of ${Object.values(reg.states ?? {}).join(', ')}`);
  return Number(entry[0]);
}

const RANGES = { u16: [0, 0xffff], s16: [-0x8000, 0x7fff], u32: [0, 0xffffffff], s32: [-0x80000000, 0x7fffffff] } as const;

/** The register words of a raw value, in the profile's word order. */
function toWords(reg: ModbusRegister, raw: number): number[] {
  const type = reg.type ?? 'u16';
  if (type !== 'f32') {
    const [min, max] = RANGES[type];
    if (raw < min || raw > max) throw misfit(reg, raw, `raw ${raw} is outside ${type} (${min}..${max})`);
  }
  if (type === 'u16' || type === 's16') return [raw & 0xffff];
  const view = new DataView(new ArrayBuffer(4));
  if (type === 'f32') view.setFloat32(0, raw);
  else view.setUint32(0, raw >>> 0);
  const words = [view.getUint16(0), view.getUint16(2)];
  return reg.wordOrder === 'little' ? words.reverse() : words;
}

function misfit(reg: ModbusRegister, value: unknown, why: string): AgentError {
  return new AgentError(
    'modbus-simulator',
    `metric "${reg.metric}" cannot hold ${JSON.stringify(value)}: ${why}`,
    'give the simulator a value the profile register can carry',
  );
}
