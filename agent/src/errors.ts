/**
 * Typed errors of the agent. Every error carries a stable `code` that tests assert and
 * callers branch on, and a `hint` telling the reader what to fix. Configuration problems
 * use the shared {@link ConfigError} (code `config-invalid`) from @ledwatch/protocols.
 */
export type AgentErrorCode =
  /** No driver is registered for a device kind. */
  | 'driver-unknown'
  /** Two drivers were registered for the same kind. */
  | 'driver-duplicate'
  /** A device poll took longer than its timeout. */
  | 'poll-timeout'
  /** A device poll was aborted because the agent is stopping. */
  | 'poll-aborted'
  /** The persisted state file could not be read or parsed. */
  | 'state-corrupt'
  /** The persisted state file could not be written. */
  | 'state-write-failed'
  /** The agent was started twice, or used after stop(). */
  | 'agent-state'
  /** A driver was polled after close(). */
  | 'driver-closed'
  /** A serial port or TCP connection could not be opened (no such port, refused, timed out). */
  | 'transport-open'
  /** A write or request on a transport that is closed, or that closed while waiting. */
  | 'transport-closed'
  /** A NovaStar controller did not answer a request within the request timeout. */
  | 'novastar-timeout'
  /** A NovaStar controller answered with an ack other than 0 (see the codec's ackMeaning). */
  | 'novastar-nack'
  /** The controller reset the connection: another client (e.g. NovaLCT) may hold it. */
  | 'novastar-reset'
  /** The serial baud probe got no answer at any baud rate. */
  | 'novastar-no-answer'
  /** NovaStar driver options that the schema cannot check (host for tcp, path for serial). */
  | 'novastar-options'
  /** An SNMP agent did not answer within the timeout and retries (also: wrong v2c community, which agents ignore). */
  | 'snmp-timeout'
  /** An SNMPv3 agent refused the user or its keys (unknown user, wrong digest, cannot decrypt). */
  | 'snmp-auth-failed'
  /** An SNMP agent answered with an error status, or with a response that cannot be decoded. */
  | 'snmp-error'
  /** SNMP driver options that the schema cannot check (v3 keys for the security level). */
  | 'snmp-options'
  /** Bad command-line usage. */
  | 'cli-usage'
  /** A Modbus device did not answer within its timeout. */
  | 'modbus-timeout'
  /** A Modbus answer arrived garbled (bad CRC or length): wrong baud rate or parity, or line noise. */
  | 'modbus-frame'
  /** The Modbus simulator was asked for something its profile cannot hold (unknown metric, value out of range). */
  | 'modbus-simulator'
  /** Modbus driver options that the schema cannot check (host for tcp, path for rtu, one profile, one setting per bus). */
  | 'modbus-options';

export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly code: AgentErrorCode;
  readonly hint: string;

  constructor(code: AgentErrorCode, message: string, hint = '', options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.hint = hint;
  }
}

/** The message of anything thrown, for log lines and error readings. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
