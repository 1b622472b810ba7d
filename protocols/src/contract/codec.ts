/**
 * Encode and decode contract payloads. Decoding validates against the kind's schema and
 * throws a {@link ContractError} with a stable code; encoding validates too, so a bug on
 * the sending side is caught before it reaches the wire.
 */
import { Compile } from 'typebox/compile';
import { ContractError } from '../errors.js';
import { PAYLOAD_SCHEMAS, type PayloadMap } from './payloads.js';
import { isTelemetryPayload } from './telemetry-check.js';
import type { TopicKind } from './topics.js';

/** Largest payload either side accepts. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

type Validators = { [K in TopicKind]: ReturnType<typeof Compile<(typeof PAYLOAD_SCHEMAS)[K]>> };

const validators = Object.fromEntries(
  Object.entries(PAYLOAD_SCHEMAS).map(([kind, schema]) => [kind, Compile(schema)]),
) as unknown as Validators;

const MAX_DETAILS = 10;

function violations(kind: TopicKind, value: unknown): string[] {
  const out: string[] = [];
  for (const e of validators[kind].Errors(value)) {
    if (e.keyword === 'boolean') continue; // duplicates the additionalProperties line
    out.push(`${e.instancePath === '' ? '/' : e.instancePath}: ${e.message}`);
    if (out.length >= MAX_DETAILS) break;
  }
  return out.length > 0 ? out : ['/: does not match the schema'];
}

/** Validates an already-parsed value; returns it typed or throws `invalid-payload`. */
export function validatePayload<K extends TopicKind>(kind: K, value: unknown): PayloadMap[K] {
  // Telemetry first through a check that allocates nothing (never laxer than the schema).
  if ((kind === 'telemetry' && isTelemetryPayload(value)) || validators[kind].Check(value)) return value as PayloadMap[K];
  const details = violations(kind, value);
  throw new ContractError(
    'invalid-payload',
    `${kind} payload does not match contract v1: ${details.join('; ')}`,
    `send a ${kind} payload as described by the ledwatch MQTT contract v1 (protocols/src/contract/payloads.ts)`,
    details,
  );
}

export function encodePayload<K extends TopicKind>(kind: K, payload: PayloadMap[K]): Buffer {
  validatePayload(kind, payload);
  return Buffer.from(JSON.stringify(payload));
}

export function decodePayload<K extends TopicKind>(kind: K, raw: Uint8Array | string): PayloadMap[K] {
  const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength;
  if (size > MAX_PAYLOAD_BYTES) {
    throw new ContractError(
      'payload-too-large',
      `${kind} payload is ${size} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`,
      'split the data into several messages',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  } catch (err) {
    throw new ContractError('invalid-json', `${kind} payload is not JSON: ${(err as Error).message}`, 'send UTF-8 JSON');
  }
  return validatePayload(kind, value);
}
