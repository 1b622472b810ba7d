/**
 * Read planning: the fewest read requests that cover a profile's registers. Registers of
 * one function merge into one block when they touch or overlap, or when the unmapped gap
 * between them is at most `maxGap` registers, up to the per-request limit.
 */
import { ModbusError } from './errors.js';
import { LIMITS, type RegisterFunction } from './pdu.js';
import type { ModbusProfile, ModbusRegister } from './schema.js';
import { is32Bit, isBitFunction } from './validate.js';

export interface ReadBlock {
  readonly function: RegisterFunction;
  /** First address, 0-based. */
  readonly address: number;
  /** Registers (or bits, for coil and discrete) to read. */
  readonly quantity: number;
  /** Metrics whose registers lie in this block, in address order. */
  readonly metrics: readonly string[];
}

export interface PlanOptions {
  /** Unmapped registers a block may span; default the profile's `readGap`, else 0. */
  readonly maxGap?: number;
  /** Largest register read, 1..125 (default 125). Some devices take fewer. */
  readonly maxRegisters?: number;
  /** Largest coil or discrete-input read, 1..2000 (default 2000). */
  readonly maxBits?: number;
}

const FUNCTION_ORDER: readonly RegisterFunction[] = ['holding', 'input', 'coil', 'discrete'];

/** The registers (or bits) one profile entry occupies: 2 for 32-bit types, else 1. */
export function registerWidth(reg: ModbusRegister): number {
  return !isBitFunction(reg.function) && is32Bit(reg.type) ? 2 : 1;
}

export function planReads(profile: ModbusProfile, options: PlanOptions = {}): ReadBlock[] {
  const maxGap = options.maxGap ?? profile.readGap ?? 0;
  const maxRegisters = options.maxRegisters ?? LIMITS.readRegisters;
  const maxBits = options.maxBits ?? LIMITS.readBits;
  checkOption('maxGap', maxGap, 0, LIMITS.readRegisters - 1);
  checkOption('maxRegisters', maxRegisters, 2, LIMITS.readRegisters);
  checkOption('maxBits', maxBits, 1, LIMITS.readBits);

  const blocks: ReadBlock[] = [];
  for (const fn of FUNCTION_ORDER) {
    const limit = isBitFunction(fn) ? maxBits : maxRegisters;
    const spans = profile.registers
      .filter((r) => r.function === fn)
      .map((r) => ({ start: r.address, end: r.address + registerWidth(r) - 1, metric: r.metric }))
      .sort((a, b) => a.start - b.start || a.end - b.end);
    let current: { start: number; end: number; metrics: string[] } | undefined;
    for (const span of spans) {
      const end = Math.max(current?.end ?? -1, span.end);
      if (current !== undefined && span.start <= current.end + 1 + maxGap && end - current.start + 1 <= limit) {
        current.end = end;
        current.metrics.push(span.metric);
        continue;
      }
      if (current !== undefined) blocks.push(toBlock(fn, current));
      current = { start: span.start, end: span.end, metrics: [span.metric] };
    }
    if (current !== undefined) blocks.push(toBlock(fn, current));
  }
  return blocks;
}

function toBlock(fn: RegisterFunction, c: { start: number; end: number; metrics: string[] }): ReadBlock {
  return { function: fn, address: c.start, quantity: c.end - c.start + 1, metrics: c.metrics };
}

function checkOption(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ModbusError('bad-field', `planReads ${name} is ${value}, outside ${min}..${max}`, `give ${name} as an integer from ${min} to ${max}`);
  }
}
