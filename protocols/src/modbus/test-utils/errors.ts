import { ModbusError, type ModbusErrorCode } from '../errors.js';

/** The code of the ModbusError `fn` throws; undefined when it returns. Other errors propagate. */
export function codeOf(fn: () => unknown): ModbusErrorCode | undefined {
  return errorOf(fn)?.code;
}

/** The ModbusError `fn` throws; undefined when it returns. Other errors propagate. */
export function errorOf(fn: () => unknown): ModbusError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModbusError) return err;
    throw err;
  }
  return undefined;
}

export function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.trim().split(/\s+/), (h) => parseInt(h, 16));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
