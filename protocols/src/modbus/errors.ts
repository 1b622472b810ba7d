/**
 * Typed errors of the Modbus codec and profiles. Callers branch on `code`, never on the
 * message; tests assert the code. The `hint` says what to check on site.
 */
import { ProtocolError } from '../errors.js';

export type ModbusErrorCode =
  /** The frame's CRC-16 does not match its bytes. */
  | 'crc'
  /** Fewer bytes than the frame needs. */
  | 'truncated'
  /** The device answered with an exception response (function code | 0x80). */
  | 'exception'
  /** A function code this codec does not handle, or a response to a different function. */
  | 'bad-function'
  /** A byte count or quantity that does not fit the frame or the protocol's limits. */
  | 'bad-length'
  /** A response from a unit other than the one asked. */
  | 'bad-unit'
  /** A field outside its range when encoding (address, value, unit id …), or a write echo that differs from the request. */
  | 'bad-field'
  /** A device profile that fails validation; `details` lists every problem. */
  | 'invalid-profile'
  /** No shipped profile has the given name. */
  | 'unknown-profile';

/** Exception codes of the Modbus application protocol (v1.1b3, section 7). */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'illegal-function',
  2: 'illegal-data-address',
  3: 'illegal-data-value',
  4: 'server-device-failure',
  5: 'acknowledge',
  6: 'server-device-busy',
  8: 'memory-parity-error',
  10: 'gateway-path-unavailable',
  11: 'gateway-target-failed-to-respond',
};

export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `exception-${code}`;
}

export class ModbusError extends ProtocolError {
  override readonly name = 'ModbusError';
  declare readonly code: ModbusErrorCode;
  /** One line per problem (profile validation): `<json pointer>: <message>`. */
  readonly details: readonly string[];
  /** Set for code `exception`: the function asked and the device's exception code. */
  readonly exception: { readonly functionCode: number; readonly code: number; readonly name: string } | undefined;

  constructor(
    code: ModbusErrorCode,
    message: string,
    hint = '',
    extra: { details?: readonly string[]; exception?: { functionCode: number; code: number } } = {},
  ) {
    super(code, message, hint);
    this.details = extra.details ?? [];
    this.exception = extra.exception && { ...extra.exception, name: exceptionName(extra.exception.code) };
  }
}
