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
  /** Bad command-line usage. */
  | 'cli-usage';

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
