/**
 * Typed errors of the SNMP profiles. Callers branch on `code`, never on the message;
 * tests assert the code. Decoding varbinds does not throw: a missing or malformed value
 * is reported in the result, so one bad OID does not lose a whole poll.
 */
import { ProtocolError } from '../errors.js';

export type SnmpErrorCode =
  /** Text that is not a numeric OID such as 1.3.6.1.2.1.1.3.0. */
  | 'bad-oid'
  /** A profile that breaks a rule; `details` lists every problem. */
  | 'invalid-profile'
  /** An option outside its range. */
  | 'bad-field';

export class SnmpError extends ProtocolError {
  override readonly name = 'SnmpError';
  declare readonly code: SnmpErrorCode;
  /** One line per problem: `<path>: <message>`. */
  readonly details: readonly string[];

  constructor(code: SnmpErrorCode, message: string, hint = '', details: readonly string[] = []) {
    super(code, message, hint);
    this.details = details;
  }
}
