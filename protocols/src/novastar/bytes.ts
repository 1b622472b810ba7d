/**
 * Byte helpers shared by the NovaStar codec: little-endian integers, hex text, and range
 * checks that throw a `bad-field` {@link NovaStarError} naming the field.
 */
import { NovaStarError } from './errors.js';

export function u16le(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
}

export function u32le(bytes: Uint8Array, offset: number): number {
  return (u16le(bytes, offset) + u16le(bytes, offset + 2) * 0x10000) >>> 0;
}

export function putU16le(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
}

export function putU32le(bytes: Uint8Array, offset: number, value: number): void {
  putU16le(bytes, offset, value & 0xffff);
  putU16le(bytes, offset + 2, value >>> 16);
}

/** Lowercase hex, no separators: `[0x0a, 0xff]` → `"0aff"`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** `0x0a000000` style: 8 lowercase hex digits. */
export function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** `0x568b` style: 4 lowercase hex digits. */
export function hex16(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

/**
 * Parses hex text as printed by vendors and captures: whitespace, `:` and `-` between
 * bytes and a leading `0x` are ignored (`"55 AA 00"`, `"55aa00"`, `"0x55aa00"`).
 */
export function fromHex(text: string): Uint8Array {
  const digits = text.trim().replace(/^0x/i, '').replace(/[\s:-]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) {
    throw new NovaStarError(
      'bad-hex',
      `not hex bytes: ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`,
      'give an even number of hex digits, e.g. "55aa0032fe00…" or "55 AA 00 32 FE 00 …"',
    );
  }
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Throws `bad-field` unless `value` is an integer in [0, max]. */
export function checkUint(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new NovaStarError(
      'bad-field',
      `${field} is ${value}, outside 0..${max}`,
      `${field} must be an integer from 0 to ${max}`,
    );
  }
}

/** Throws `short-data` when a register decoder gets fewer than `need` bytes. */
export function needBytes(register: string, data: Uint8Array, need: number): void {
  if (data.length < need) {
    throw new NovaStarError(
      'short-data',
      `${register} needs ${need} data bytes, got ${data.length}`,
      `read at least ${need} bytes from this register`,
    );
  }
}
