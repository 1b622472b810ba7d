/**
 * A hand-written check of a telemetry payload, for the hub's ingest hot path: the schema's
 * compiled check allocates per reading (an entries array per metrics record, a key list per
 * object), a fifth of the hub's allocations in bench/ingest's fleet. This one allocates
 * nothing.
 *
 * It may only be *stricter* than {@link TelemetryPayload}: true means the value matches the
 * schema (a property test holds it to that), false means "ask the schema", which then
 * decides and explains. Strings are measured in UTF-16 units, never fewer than the
 * schema's characters, so a borderline string is left to the schema. Meant for values from
 * JSON.parse (plain objects, own enumerable keys only).
 */
import type { TelemetryPayload } from './payloads.js';
import { ID_PATTERN } from './topics.js';

const ID = new RegExp(ID_PATTERN);
const DEVICE = /^[A-Za-z0-9_.:-]+(\/[A-Za-z0-9_.:-]+)*$/;
const METRIC = /^[A-Za-z][A-Za-z0-9_.]{0,63}$/;
const MIN_MS = 946684800000;
const MAX_MS = 32503680000000;
const STATES = new Set(['ok', 'warn', 'fault', 'missing', 'unreachable', 'held', 'unknown']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isEpochMs = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= MIN_MS && v <= MAX_MS;

function isMetrics(m: unknown): boolean {
  if (!isObject(m)) return false;
  let n = 0;
  for (const k in m) {
    if (++n > 256 || !METRIC.test(k)) return false;
    const v = m[k];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (typeof v === 'string') {
      if (v.length > 256) return false;
    } else if (typeof v !== 'boolean') return false;
  }
  return true;
}

function isReading(r: unknown): boolean {
  if (!isObject(r)) return false;
  let required = 0;
  for (const k in r) {
    const v = r[k];
    switch (k) {
      case 'device':
        if (typeof v !== 'string' || v.length > 200 || !DEVICE.test(v)) return false;
        required++;
        break;
      case 'at':
        if (!isEpochMs(v)) return false;
        required++;
        break;
      case 'metrics':
        if (!isMetrics(v)) return false;
        required++;
        break;
      case 'component':
        if (typeof v !== 'string' || v.length > 128) return false;
        break;
      case 'state':
        if (typeof v !== 'string' || !STATES.has(v)) return false;
        break;
      default:
        return false;
    }
  }
  return required === 3;
}

/** True only if `v` matches the telemetry payload schema; false: ask the schema. */
export function isTelemetryPayload(v: unknown): v is TelemetryPayload {
  if (!isObject(v)) return false;
  let seq = false;
  let readings = false;
  for (const k in v) {
    const x = v[k];
    switch (k) {
      case 'seq':
        if (!isCount(x)) return false;
        seq = true;
        break;
      case 'prev':
        if (!isCount(x)) return false;
        break;
      case 'sessionId':
        if (typeof x !== 'string' || !ID.test(x)) return false;
        break;
      case 'sentAt':
        if (!isEpochMs(x)) return false;
        break;
      case 'readings':
        if (!Array.isArray(x) || x.length < 1 || x.length > 10000) return false;
        for (let i = 0; i < x.length; i++) if (!isReading(x[i])) return false;
        readings = true;
        break;
      default:
        return false;
    }
  }
  return seq && readings;
}
