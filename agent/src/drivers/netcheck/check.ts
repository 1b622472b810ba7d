/**
 * What one check of one target found, and the frame every check runs in: a deadline that
 * ends it with a `timeout` result, and an abort signal that rejects it. Either way the
 * check's socket is destroyed.
 */
import { abortReason } from '../../abort.js';

export interface CertInfo {
  /** notAfter of the peer certificate, ms since the epoch. */
  expiresAt: number;
  /** Common name (or the whole subject) of the peer certificate. */
  subject: string;
  /** Whether the chain and the host name verified against the trusted CAs. */
  trusted: boolean;
  /** Why it did not verify, e.g. DEPTH_ZERO_SELF_SIGNED_CERT. */
  trustError?: string;
}

export interface CheckResult {
  /** The target answered: a TCP connection, or HTTP response headers. */
  reachable: boolean;
  /** ms until the connection (tcp) or the response headers (http). */
  latencyMs?: number;
  /** Short code of what went wrong: ECONNREFUSED, ENOTFOUND, timeout, … */
  error?: string;
  statusCode?: number;
  /** The TLS peer certificate, whether trusted or not. */
  cert?: CertInfo;
}

/**
 * Starts a check. Call `done` with the result (later calls are ignored); record anything
 * learnt on the way (a certificate) in `partial`, which a timeout result keeps. Returns
 * the function that destroys the check's socket.
 */
export type StartCheck = (done: (result: CheckResult) => void, partial: Partial<CheckResult>) => () => void;

export function runCheck(timeoutMs: number, signal: AbortSignal, start: StartCheck): Promise<CheckResult> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const partial: Partial<CheckResult> = {};
    let settled = false;
    let stop = (): void => undefined;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stop();
      settle();
    };
    const onAbort = (): void => finish(() => reject(abortReason(signal)));
    const timer = setTimeout(() => finish(() => resolve({ ...partial, reachable: false, error: 'timeout' })), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    stop = start((result) => finish(() => resolve(result)), partial);
    if (settled) stop(); // done was called synchronously, before stop was known
  });
}

/** ms since `started` (a performance.now() reading), to 0.01 ms. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

/** A short, stable code for a socket or request error: ECONNREFUSED rather than its message. */
export function errorCode(err: unknown): string {
  const first = err instanceof AggregateError && err.errors.length > 0 ? (err.errors[0] as unknown) : err;
  const code = (first as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== '') return code.slice(0, 64);
  return (err instanceof Error ? err.message : String(err)).slice(0, 64) || 'error';
}
