/**
 * A hand-written check of a telemetry payload, for the hub's ingest hot path: the schema's
 * compiled check allocates per reading (an entries array per metrics record, a key list per
 * object), a fifth of the hub's allocations in bench/ingest's fleet. This one allocates
 * nothing.
 *
 * Every limit is read from the schema, so the two cannot drift apart; and it may only be
 * *stricter* than {@link TelemetryPayload}: true means the value matches the
 * schema (a property test holds it to that), false means "ask the schema", which then
 * decides and explains. Strings are measured in UTF-16 units, never fewer than the
 * schema's characters, so a borderline string is left to the schema. Meant for values from
 * JSON.parse (plain objects, own enumerable keys only).
 */
import { TelemetryPayload } from './payloads.js';

/** The parts of the JSON schema read here: the limits below come from the schema itself. */
interface Schema {
  properties: Record<string, Schema>;
  items: Schema;
  patternProperties: Record<string, Schema>;
  anyOf: Schema[];
  pattern: string;
  const: string;
  minimum: number;
  maximum?: number;
  maxLength: number;
  minItems: number;
  maxItems: number;
  maxProperties: number;
}

const PAYLOAD = TelemetryPayload as unknown as Schema;
const READING = PAYLOAD.properties.readings!.items;
const R = READING.properties;
const [[METRIC_PATTERN, METRIC_VALUE]] = Object.entries(R.metrics!.patternProperties) as [[string, Schema]];

const ID = new RegExp(PAYLOAD.properties.sessionId!.pattern);
const DEVICE = new RegExp(R.device!.pattern);
const DEVICE_MAX = R.device!.maxLength;
const COMPONENT_MAX = R.component!.maxLength;
const METRIC = new RegExp(METRIC_PATTERN);
const METRICS_MAX = R.metrics!.maxProperties;
const TEXT_MAX = METRIC_VALUE.anyOf.find((s) => s.maxLength !== undefined)!.maxLength;
const SEQ = PAYLOAD.properties.seq!;
const PREV = PAYLOAD.properties.prev!;
const SENT_AT = PAYLOAD.properties.sentAt!;
const AT = R.at!;
const READINGS_MIN = PAYLOAD.properties.readings!.minItems;
const READINGS_MAX = PAYLOAD.properties.readings!.maxItems;
const STATES = new Set(R.state!.anyOf.map((s) => s.const));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An integer within the schema's minimum and maximum. */
const isInteger = (v: unknown, s: Schema): boolean => typeof v === 'number' && Number.isInteger(v) && v >= s.minimum && (s.maximum === undefined || v <= s.maximum);

function isMetrics(m: unknown): boolean {
  if (!isObject(m)) return false;
  let n = 0;
  for (const k in m) {
    if (++n > METRICS_MAX || !METRIC.test(k)) return false;
    const v = m[k];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (typeof v === 'string') {
      if (v.length > TEXT_MAX) return false;
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
        if (typeof v !== 'string' || v.length > DEVICE_MAX || !DEVICE.test(v)) return false;
        required++;
        break;
      case 'at':
        if (!isInteger(v, AT)) return false;
        required++;
        break;
      case 'metrics':
        if (!isMetrics(v)) return false;
        required++;
        break;
      case 'component':
        if (typeof v !== 'string' || v.length > COMPONENT_MAX) return false;
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
        if (!isInteger(x, SEQ)) return false;
        seq = true;
        break;
      case 'prev':
        if (!isInteger(x, PREV)) return false;
        break;
      case 'sessionId':
        if (typeof x !== 'string' || !ID.test(x)) return false;
        break;
      case 'sentAt':
        if (!isInteger(x, SENT_AT)) return false;
        break;
      case 'readings':
        if (!Array.isArray(x) || x.length < READINGS_MIN || x.length > READINGS_MAX) return false;
        for (let i = 0; i < x.length; i++) if (!isReading(x[i])) return false;
        readings = true;
        break;
      default:
        return false;
    }
  }
  return seq && readings;
}
