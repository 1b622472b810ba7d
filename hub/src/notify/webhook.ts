/**
 * Signed webhook POSTs (see signature.ts for what a receiver checks). One attempt per call:
 * the notifier retries 5xx, 408, 429, timeouts and network errors with backoff; any other
 * 4xx (and a redirect, which is not followed) fails for good.
 */
import { DeliveryError } from './errors.js';
import { signWebhook } from './signature.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
}

export interface WebhookPost {
  event: string;
  deliveryId: string;
  /** The JSON body, sent byte for byte as signed. */
  body: string;
  timeoutMs: number;
  /** Unix seconds; default now. */
  timestampS?: number;
}

const RETRYABLE_4XX = new Set([408, 425, 429]);

export async function postWebhook(hook: WebhookEndpoint, post: WebhookPost): Promise<{ status: number }> {
  const timestamp = post.timestampS ?? Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(hook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(post.timeoutMs),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'ledwatch-hub',
        'x-ledwatch-event': post.event,
        'x-ledwatch-delivery': post.deliveryId,
        'x-ledwatch-timestamp': String(timestamp),
        'x-ledwatch-signature': signWebhook(hook.secret, timestamp, post.body),
      },
      body: post.body,
    });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new DeliveryError('timeout', `no answer within ${String(post.timeoutMs)} ms`, { retryable: true, cause: err });
    }
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new DeliveryError('network', cause?.code ?? cause?.message ?? (err as Error).message, { retryable: true, cause: err });
  }
  await res.body?.cancel().catch(() => undefined); // the answer's body is not used
  if (res.status >= 200 && res.status < 300) return { status: res.status };
  const retryable = res.status >= 500 || RETRYABLE_4XX.has(res.status);
  throw new DeliveryError('http-status', `HTTP ${String(res.status)}`, { retryable, status: res.status });
}
