/**
 * Typed errors of the telemetry store, each with a stable code (tests assert it).
 *
 * - `telemetry-rejected`: the store refused a point for good (InfluxDB answered 400, e.g.
 *   a field type conflict, or the point is older than the raw retention). It is dropped
 *   and counted so one bad point cannot block the stream; write() still resolves.
 * - `telemetry-closed`: write() after close(), or points still unsent when close() timed out
 *   (never acknowledged, so the agent sends them again).
 * - `telemetry-query`: a query the store cannot answer as asked (bad range or window).
 * - `telemetry-unavailable`: the backing server could not be reached or refused a request.
 */
export type TelemetryErrorCode = 'telemetry-rejected' | 'telemetry-closed' | 'telemetry-query' | 'telemetry-unavailable';

export class TelemetryError extends Error {
  override readonly name = 'TelemetryError';
  readonly code: TelemetryErrorCode;
  /** Machine-readable reason within the code, e.g. `field-type-conflict`, `beyond-retention`. */
  readonly reason: string;
  readonly details: Record<string, unknown>;

  constructor(code: TelemetryErrorCode, reason: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

/** A reason for a rejection from InfluxDB's error text (1.x wording; others fall to `invalid`). */
export function rejectionReason(serverMessage: string): string {
  if (/field type conflict/.test(serverMessage)) return 'field-type-conflict';
  if (/beyond retention/.test(serverMessage)) return 'beyond-retention';
  if (/unable to parse|invalid/.test(serverMessage)) return 'invalid';
  if (/too large/.test(serverMessage)) return 'too-large';
  return 'rejected';
}
