/**
 * Why a delivery failed, with a stable code (recorded in the notification log, asserted by
 * tests) and whether trying again later can help.
 */

export type DeliveryErrorCode =
  /** smtp.host is not set, or the target has no email address. */
  | 'not-configured'
  | 'no-address'
  /** The SMTP server could not be reached, refused the login, or failed mid-session. */
  | 'smtp-unavailable'
  /** The SMTP server refused the message or recipient (reply code in the message). */
  | 'smtp-rejected'
  /** The webhook answered with a status other than 2xx. */
  | 'http-status'
  /** Connection refused, DNS, reset, or timeout. */
  | 'network'
  | 'timeout'
  /** The webhook is gone or disabled. */
  | 'target-gone'
  /** A bug or an unexpected exception (not retried). */
  | 'internal';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly code: DeliveryErrorCode;
  readonly retryable: boolean;
  /** The SMTP reply code or HTTP status, when there was one. */
  readonly status: number | undefined;

  constructor(code: DeliveryErrorCode, message: string, opts: { retryable: boolean; status?: number | undefined; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable;
    this.status = opts.status;
  }

  /** One line for the notification log: `<code>: <message>`. */
  summary(): string {
    return `${this.code}: ${this.message}`;
  }
}

/** Any thrown value as a DeliveryError (unknown errors are not retried). */
export function asDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DeliveryError('internal', message, { retryable: false, cause: err });
}
