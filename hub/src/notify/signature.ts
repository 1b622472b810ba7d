/**
 * Webhook signatures. Every POST carries
 *
 *   X-Ledwatch-Timestamp: <unix seconds>
 *   X-Ledwatch-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * A receiver checks them with {@link verifyWebhookSignature} (or the same few lines in its
 * own language): compute the HMAC over the timestamp, a dot and the raw body bytes exactly
 * as received (before any JSON parsing), compare in constant time, and refuse timestamps
 * further than a few minutes from its clock so a captured request cannot be replayed later.
 * The X-Ledwatch-Delivery id stays the same across retries: use it to drop duplicates.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_PREFIX = 'sha256=';

/** `sha256=<hex>` over "<timestamp>.<body>". */
export function signWebhook(secret: string, timestamp: number | string, body: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${String(timestamp)}.`);
  mac.update(body);
  return SIGNATURE_PREFIX + mac.digest('hex');
}

/**
 * True when `signature` (the X-Ledwatch-Signature header) was made with `secret` over this
 * timestamp and body, and the timestamp is within `toleranceS` seconds of `nowS`.
 *
 * @param timestamp the X-Ledwatch-Timestamp header (unix seconds)
 * @param body the raw request body, exactly as received
 * @param toleranceS largest accepted clock difference, seconds (default 300)
 * @param nowS the receiver's time in unix seconds (default: the system clock)
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Buffer,
  signature: string | undefined,
  toleranceS = 300,
  nowS: number = Date.now() / 1000,
): boolean {
  if (timestamp === undefined || signature === undefined) return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  if (!signature.startsWith(SIGNATURE_PREFIX)) return false;
  const given = Buffer.from(signature.slice(SIGNATURE_PREFIX.length), 'hex');
  const expected = Buffer.from(signWebhook(secret, ts, body).slice(SIGNATURE_PREFIX.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
