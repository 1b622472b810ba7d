import { SnmpError, type SnmpErrorCode } from '../errors.js';

/** The code of the SnmpError `fn` throws; undefined when it returns. Other errors propagate. */
export function codeOf(fn: () => unknown): SnmpErrorCode | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof SnmpError) return err.code;
    throw err;
  }
  return undefined;
}
