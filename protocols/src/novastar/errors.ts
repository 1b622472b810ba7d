/**
 * Typed errors of the NovaStar codec. Callers branch on `code`, never on the message;
 * tests assert the code. The `hint` says what to check on site.
 */
import { ProtocolError } from '../errors.js';

export type NovaStarErrorCode =
  /** The frame's checksum does not match the sum of its bytes. */
  | 'checksum'
  /** Fewer bytes than the frame needs. */
  | 'truncated'
  /** The bytes do not start with `55 AA` (request) or `AA 55` (response). */
  | 'bad-head'
  /** More bytes than the frame's length field allows, or a length over the framer's limit. */
  | 'bad-length'
  /** A header field or value outside what the protocol defines (direction, reserved, u8 range …). */
  | 'bad-field'
  /** Text that is not an even number of hex digits. */
  | 'bad-hex'
  /** No register is known at this (deviceType, address). */
  | 'unknown-register'
  /** A register decoder got fewer data bytes than the register holds. */
  | 'short-data';

export class NovaStarError extends ProtocolError {
  override readonly name = 'NovaStarError';
  declare readonly code: NovaStarErrorCode;

  constructor(code: NovaStarErrorCode, message: string, hint = '') {
    super(code, message, hint);
  }
}
