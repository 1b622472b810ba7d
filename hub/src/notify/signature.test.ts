import { describe, expect, test } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signature.js';

const SECRET = 'whsec_test_secret_0123';
const BODY = '{"event":"alarm.raised"}';
const TS = 1_700_000_000;

describe('webhook signatures', () => {
  test('the signature is HMAC-SHA256 over "<timestamp>.<body>", as openssl computes it', () => {
    // printf '1700000000.{"event":"alarm.raised"}' | openssl dgst -sha256 -hmac 'whsec_test_secret_0123'
    expect(signWebhook(SECRET, TS, BODY)).toBe('sha256=e36916c5bdba03dc062d3a4315e29d4ef52bf07d6852725c0726b97f8020d6ab');
  });

  test('a receiver accepts the signature made with the shared secret', () => {
    expect(verifyWebhookSignature(SECRET, String(TS), BODY, signWebhook(SECRET, TS, BODY), 300, TS + 10)).toBe(true);
  });

  test('a tampered body, another secret or a malformed header fails', () => {
    const sig = signWebhook(SECRET, TS, BODY);
    expect(verifyWebhookSignature(SECRET, TS, BODY.replace('raised', 'cleared'), sig, 300, TS)).toBe(false);
    expect(verifyWebhookSignature('whsec_another_secret__', TS, BODY, sig, 300, TS)).toBe(false);
    expect(verifyWebhookSignature(SECRET, TS, BODY, sig.replace('sha256=', 'sha1='), 300, TS)).toBe(false);
    expect(verifyWebhookSignature(SECRET, TS, BODY, 'sha256=abc', 300, TS)).toBe(false);
    expect(verifyWebhookSignature(SECRET, undefined, BODY, sig, 300, TS)).toBe(false);
  });

  test('a timestamp outside the tolerance is refused, so a captured request cannot be replayed later', () => {
    const sig = signWebhook(SECRET, TS, BODY);
    expect(verifyWebhookSignature(SECRET, TS, BODY, sig, 300, TS + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, TS, BODY, sig, 300, TS - 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'yesterday', BODY, sig, 300, TS)).toBe(false);
  });

  test('the timestamp is part of what is signed', () => {
    const sig = signWebhook(SECRET, TS, BODY);
    expect(verifyWebhookSignature(SECRET, TS + 1, BODY, sig, 300, TS)).toBe(false);
  });
});
