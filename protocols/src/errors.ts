/**
 * Typed errors of the protocols package. Every error carries a stable `code` that tests
 * assert and callers branch on, and a `hint` telling the reader what to fix.
 */
export type ProtocolErrorCode =
  // MQTT contract
  | 'unknown-topic'
  | 'payload-too-large'
  | 'invalid-json'
  | 'invalid-payload';

export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  readonly code: string;
  readonly hint: string;

  constructor(code: string, message: string, hint = '') {
    super(message);
    this.code = code;
    this.hint = hint;
  }
}

/** A payload or topic that does not follow the ledwatch MQTT contract. */
export class ContractError extends ProtocolError {
  override readonly name = 'ContractError';
  declare readonly code: ProtocolErrorCode;
  /** One line per schema violation: `<json pointer>: <message>`. */
  readonly details: readonly string[];

  constructor(code: ProtocolErrorCode, message: string, hint = '', details: readonly string[] = []) {
    super(code, message, hint);
    this.details = details;
  }
}
