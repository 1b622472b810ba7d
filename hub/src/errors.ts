/**
 * Typed errors of the hub. Every error an API caller can see carries a stable `code` (tests
 * assert it, clients branch on it) and the HTTP status it maps to. The JSON shape on the
 * wire is always `{ error: { code, message, details? } }`.
 */

export type HubErrorCode = 'validation' | 'unauthorized' | 'forbidden' | 'not-found' | 'conflict' | 'rate-limited' | 'internal';

const STATUS: Record<HubErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  internal: 500,
};

/** One failing input field of a validation error. */
export interface FieldIssue {
  /** Where the field is, e.g. `body.email`, `params.id`, `querystring.limit`. */
  field: string;
  message: string;
}

export class HubError extends Error {
  override readonly name = 'HubError';
  readonly code: HubErrorCode;
  readonly statusCode: number;
  readonly details: unknown;
  /** Seconds until a rate-limited caller may retry (sent as `Retry-After`). */
  readonly retryAfterS: number | undefined;

  constructor(code: HubErrorCode, message: string, opts: { details?: unknown; statusCode?: number; retryAfterS?: number } = {}) {
    super(message);
    this.code = code;
    this.statusCode = opts.statusCode ?? STATUS[code];
    this.details = opts.details;
    this.retryAfterS = opts.retryAfterS;
  }
}

export function statusOf(code: HubErrorCode): number {
  return STATUS[code];
}

/** The error code that belongs to an HTTP status (for errors raised by Fastify itself). */
export function codeForStatus(status: number): HubErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 400 && status < 500) return 'validation';
  return 'internal';
}

export const notFound = (entity: string, id: string | number): HubError => new HubError('not-found', `${entity} ${String(id)} not found`);

export const forbidden = (message = 'your role does not allow this'): HubError => new HubError('forbidden', message);

export const unauthorized = (message = 'a valid bearer token is required'): HubError => new HubError('unauthorized', message);

export const conflict = (message: string): HubError => new HubError('conflict', message);

export const invalid = (field: string, message: string): HubError =>
  new HubError('validation', `invalid ${field}: ${message}`, { details: [{ field, message }] satisfies FieldIssue[] });
