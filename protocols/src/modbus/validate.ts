/**
 * Profile validation: the schema first, then the rules a schema cannot say (unique
 * metrics, options that only fit some register types, alarms naming real metrics). Every
 * problem is reported at once, each with its JSON pointer, in one `invalid-profile` error.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { allSchemaErrors } from '../schema-errors.js';
import { ModbusError } from './errors.js';
import { ModbusAlarm, ModbusProfile, ModbusRegister } from './schema.js';

const checkProfile = Compile(ModbusProfile);
const checkRegister = Compile(ModbusRegister);
const checkAlarm = Compile(ModbusAlarm);

export type MetricKind = 'number' | 'boolean' | 'string';

/** What kind of value a register's metric carries. */
export function metricKind(reg: ModbusRegister): MetricKind {
  if (reg.states !== undefined) return 'string';
  if (reg.function === 'coil' || reg.function === 'discrete' || reg.bit !== undefined) return 'boolean';
  return 'number';
}

export function isBitFunction(fn: ModbusRegister['function']): boolean {
  return fn === 'coil' || fn === 'discrete';
}

export function is32Bit(type: ModbusRegister['type']): boolean {
  return type === 'u32' || type === 's32' || type === 'f32';
}

/** Returns the profile typed, or throws `invalid-profile` listing every problem. */
export function validateProfile(value: unknown): ModbusProfile {
  const problems = schemaProblems(checkProfile, value);
  const obj = (typeof value === 'object' && value !== null ? value : {}) as { name?: unknown; registers?: unknown; alarms?: unknown };
  const registers = Array.isArray(obj.registers) ? (obj.registers as unknown[]) : [];
  const valid = new Map<string, ModbusRegister>();
  let schemaValid = 0;
  registers.forEach((r, i) => {
    if (!checkRegister.Check(r)) return;
    schemaValid++;
    const first = [...valid.entries()].find(([, reg]) => reg.metric === r.metric);
    if (first) problems.push(`/registers/${i}/metric: duplicate metric "${r.metric}" (also ${first[0]})`);
    else valid.set(`/registers/${i}`, r);
    problems.push(...registerProblems(r, `/registers/${i}`));
  });
  const byMetric = new Map([...valid.values()].map((r) => [r.metric, r]));
  const alarms = Array.isArray(obj.alarms) ? (obj.alarms as unknown[]) : [];
  alarms.forEach((a, i) => {
    if (checkAlarm.Check(a)) problems.push(...alarmProblems(a, `/alarms/${i}`, byMetric, schemaValid === registers.length));
  });
  if (problems.length === 0) return value as ModbusProfile;
  const name = typeof obj.name === 'string' ? `profile "${obj.name}"` : 'profile';
  throw new ModbusError(
    'invalid-profile',
    `${name} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    'fix each listed path in the profile (protocols/src/modbus/schema.ts describes every key)',
    { details: problems },
  );
}

function registerProblems(r: ModbusRegister, at: string): string[] {
  const out: string[] = [];
  const keys = Object.keys(r.states ?? {});
  for (const key of keys) {
    if (!/^(0|-?[1-9][0-9]*)$/.test(key)) out.push(`${at}/states/${key}: a state key is a raw integer value, e.g. "0"`);
  }
  if ((isBitFunction(r.function) || r.bit !== undefined) && keys.some((k) => k !== '0' && k !== '1')) {
    out.push(`${at}/states: a bit is 0 or 1; other keys never match`);
  }
  if (isBitFunction(r.function)) {
    for (const key of ['type', 'wordOrder', 'scale', 'offset', 'bit'] as const) {
      if (r[key] !== undefined) out.push(`${at}/${key}: not used for ${r.function} registers, which are single bits`);
    }
    return out;
  }
  const wide = is32Bit(r.type);
  if (r.bit !== undefined && wide) out.push(`${at}/bit: only for 16-bit types (u16, s16)`);
  if (r.wordOrder !== undefined && !wide) out.push(`${at}/wordOrder: only for 32-bit types (u32, s32, f32)`);
  if (wide && r.address === 0xffff) out.push(`${at}/address: a 32-bit value (${r.type}) takes two registers; 65535 is the last address`);
  if (r.scale === 0) out.push(`${at}/scale: 0 makes every value 0; leave it out for 1`);
  if (r.states !== undefined) {
    if (r.type === 'f32') out.push(`${at}/states: not for f32 values`);
    for (const key of ['scale', 'offset'] as const) {
      if (r[key] !== undefined) out.push(`${at}/${key}: states map raw values; drop ${key} or states`);
    }
  } else if (r.bit !== undefined) {
    for (const key of ['scale', 'offset'] as const) {
      if (r[key] !== undefined) out.push(`${at}/${key}: a bit makes a boolean; ${key} does not apply`);
    }
  }
  return out;
}

function alarmProblems(a: ModbusAlarm, at: string, byMetric: ReadonlyMap<string, ModbusRegister>, allRegistersValid: boolean): string[] {
  if (a.below === undefined && a.above === undefined && a.equals === undefined) return [`${at}: needs below, above or equals`];
  const reg = byMetric.get(a.metric);
  // When some register is itself invalid, the alarm may name it: report the register only.
  if (reg === undefined) return allRegistersValid ? [`${at}/metric: no register defines metric "${a.metric}"`] : [];
  const kind = metricKind(reg);
  const out: string[] = [];
  for (const key of ['below', 'above'] as const) {
    if (a[key] !== undefined && kind !== 'number') out.push(`${at}/${key}: metric "${a.metric}" is a ${kind}; use equals`);
  }
  if (a.equals !== undefined && typeof a.equals !== kind) {
    out.push(`${at}/equals: metric "${a.metric}" is a ${kind}, got ${JSON.stringify(a.equals)}`);
  } else if (typeof a.equals === 'string' && reg.states !== undefined && !Object.values(reg.states).includes(a.equals)) {
    out.push(`${at}/equals: "${a.equals}" is not a state of "${a.metric}" (${Object.values(reg.states).join(', ')})`);
  }
  return out;
}

/** One line per schema violation, `<json pointer>: <message>`, one per path. */
function schemaProblems(check: ReturnType<typeof Compile<TSchema>>, value: unknown): string[] {
  const lines = new Map<string, string>();
  const allowed = new Map<string, unknown[]>();
  for (const e of allSchemaErrors(check, value)) {
    const path = e.instancePath;
    if (e.keyword === 'boolean') continue; // repeats the additionalProperties line
    if (e.keyword === 'additionalProperties') {
      for (const key of (e.params as { additionalProperties?: string[] }).additionalProperties ?? []) lines.set(`${path}/${key}`, 'unknown key');
    } else if (e.keyword === 'required') {
      for (const key of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) lines.set(`${path}/${key}`, 'is required');
    } else if (e.keyword === 'const') {
      allowed.set(path, [...(allowed.get(path) ?? []), (e.params as { allowedValue?: unknown }).allowedValue]);
    } else if (e.keyword === 'anyOf') {
      const values = allowed.get(path);
      lines.set(path, values ? `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(at(value, path))})` : 'has the wrong type');
    } else if (!lines.has(path)) {
      lines.set(path, `${e.message} (got ${JSON.stringify(at(value, path))})`);
    }
  }
  return [...lines].map(([path, message]) => `${path === '' ? '/' : path}: ${message}`);
}

function at(value: unknown, pointer: string): unknown {
  let cur = value;
  for (const seg of pointer.split('/').slice(1)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
