/** Wire helpers shared by the Modbus codec (not exported from the package). */
import { ModbusError } from './errors.js';
import { LIMITS } from './pdu.js';

export function u16be(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function putU16be(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
}

/** Throws `bad-field` unless `value` is an integer in [min, max]. */
export function checkRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ModbusError('bad-field', `${field} is ${value}, outside ${min}..${max}`, `${field} must be an integer from ${min} to ${max}`);
  }
}

export function unsupportedFunction(fc: number): ModbusError {
  return new ModbusError(
    'bad-function',
    `function code ${fc} (0x${fc.toString(16).padStart(2, '0')}) is not supported`,
    'this codec handles 01, 02, 03, 04 (reads), 06 and 16 (register writes)',
  );
}

/** Throws `truncated` or `bad-length` unless the PDU is exactly `size` bytes. */
export function expectSize(what: string, pdu: Uint8Array, size: number): void {
  if (pdu.length === size) return;
  throw new ModbusError(
    pdu.length < size ? 'truncated' : 'bad-length',
    `${what} needs ${size} PDU bytes, got ${pdu.length}`,
    pdu.length < size ? 'wait for or copy the whole frame' : 'give exactly one frame',
  );
}

export function quantityLimit(fc: number): number {
  if (fc === 1 || fc === 2) return LIMITS.readBits;
  return fc === 16 ? LIMITS.writeRegisters : LIMITS.readRegisters;
}

/** Throws `bad-length` for a quantity of 0 or over the function's limit. */
export function checkQuantity(fc: number, quantity: number): void {
  const max = quantityLimit(fc);
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > max) {
    throw new ModbusError('bad-length', `quantity ${quantity} for function ${fc} is outside 1..${max}`, `split the read or write into parts of at most ${max}`);
  }
}
