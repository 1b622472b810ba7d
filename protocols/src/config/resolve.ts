/**
 * Pure configuration resolution shared by the agent and the hub: a parsed config file,
 * overlaid with `<PREFIX>_<KEY>` environment variables, filled with the schema's defaults
 * and validated — reporting every error at once, each naming the key and the fix.
 * Reading the file is the caller's job (this package does no I/O).
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { allSchemaErrors } from '../schema-errors.js';
import { Value } from 'typebox/value';
import { ProtocolError } from '../errors.js';

export interface ConfigIssue {
  /** Dotted key, e.g. `mqtt.port`. */
  key: string;
  message: string;
  /** What to do about it. */
  fix: string;
}

export class ConfigError extends ProtocolError {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.key}: ${i.message}. Fix: ${i.fix}`);
    super('config-invalid', `invalid configuration (${source}):\n${lines.join('\n')}`, 'correct the keys listed');
    this.issues = issues;
  }
}

export interface ResolveOptions {
  /** e.g. `LEDWATCH` → `LEDWATCH_HTTP_PORT` for `http.port`. */
  envPrefix: string;
  env?: Record<string, string | undefined>;
  /** Extra env names for a key, e.g. `{ PORT: 'http.port' }`; the prefixed name wins. */
  envAliases?: Record<string, string>;
  /** Names the source in messages, e.g. the config file's path. */
  source?: string;
}

interface Leaf {
  path: string[];
  schema: TSchema & { type?: string | string[]; description?: string };
}

/** `publicUrl` → `PUBLIC_URL`. */
function envSegment(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function envNameFor(prefix: string, path: readonly string[]): string {
  return [prefix, ...path.map(envSegment)].join('_');
}

function isObjectSchema(s: unknown): s is TSchema & { properties: Record<string, TSchema> } {
  return typeof s === 'object' && s !== null && (s as { type?: unknown }).type === 'object' && 'properties' in s;
}

/** Every scalar key of the schema, for env overlay and for the README reference. */
export function configLeaves(schema: TSchema, path: string[] = []): Leaf[] {
  if (!isObjectSchema(schema)) return [{ path, schema: schema as Leaf['schema'] }];
  const out: Leaf[] = [];
  for (const [k, sub] of Object.entries(schema.properties)) out.push(...configLeaves(sub, [...path, k]));
  return out;
}

function leafTypes(schema: Leaf['schema']): string[] {
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type;
  const anyOf = (schema as { anyOf?: Leaf['schema'][] }).anyOf;
  if (anyOf) return anyOf.flatMap(leafTypes);
  const c = (schema as { const?: unknown }).const;
  if (c !== undefined) return [typeof c];
  return ['string'];
}

function coerce(raw: string, schema: Leaf['schema']): unknown {
  const types = leafTypes(schema);
  if ((types.includes('integer') || types.includes('number')) && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (types.includes('boolean') && /^(true|false|1|0|yes|no)$/i.test(raw)) return /^(true|1|yes)$/i.test(raw);
  if (types.includes('array')) {
    try {
      const v: unknown = JSON.parse(raw);
      if (Array.isArray(v)) return v;
    } catch {
      /* fall through: comma-separated */
    }
    return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  if (types.includes('null') && raw === '') return null;
  return raw;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const seg of path.slice(0, -1)) {
    const next = cur[seg];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[seg] = {};
    cur = cur[seg] as Record<string, unknown>;
  }
  cur[path[path.length - 1] as string] = value;
}

function describeFix(key: string, schema: Leaf['schema'] | undefined, opts: ResolveOptions): string {
  const where = `set \`${key}\` in the config file or ${envNameFor(opts.envPrefix, key.split('.'))}`;
  const what = schema?.description;
  return what ? `${what}; ${where}` : where;
}

function schemaAt(schema: TSchema, path: readonly string[]): Leaf['schema'] | undefined {
  let cur: unknown = schema;
  for (const seg of path) {
    if (!isObjectSchema(cur)) return undefined;
    cur = cur.properties[seg];
  }
  return cur as Leaf['schema'] | undefined;
}

/**
 * Resolves a config: file object ← env overlay ← defaults, validated. Throws
 * {@link ConfigError} listing every problem.
 */
export function resolveConfig<T>(schema: TSchema, fileObject: unknown, opts: ResolveOptions): T {
  const env = opts.env ?? {};
  const source = opts.source ?? 'config';
  if (fileObject !== undefined && fileObject !== null && (typeof fileObject !== 'object' || Array.isArray(fileObject))) {
    throw new ConfigError(source, [{ key: '(root)', message: 'the config must be a mapping of keys', fix: 'write the file as YAML key: value pairs' }]);
  }
  const merged = structuredClone((fileObject ?? {}) as Record<string, unknown>);
  const aliases = Object.entries(opts.envAliases ?? {});
  for (const leaf of configLeaves(schema)) {
    const key = leaf.path.join('.');
    const name = envNameFor(opts.envPrefix, leaf.path);
    let raw = env[name];
    if (raw === undefined) {
      const alias = aliases.find(([envName, k]) => k === key && env[envName] !== undefined);
      if (alias) raw = env[alias[0]];
    }
    if (raw !== undefined) setPath(merged, leaf.path, coerce(raw, leaf.schema));
  }
  const withDefaults = Value.Default(schema, merged) as unknown;
  const check = Compile(schema);
  if (check.Check(withDefaults)) return withDefaults as T;

  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const e of allSchemaErrors(check, withDefaults)) {
    if (e.keyword === 'boolean') continue;
    let path = e.instancePath.split('/').filter((s) => s !== '');
    let message = e.message;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      for (const name of extra) {
        const key = [...path, name].join('.');
        if (seen.has(`${key}:unknown`)) continue;
        seen.add(`${key}:unknown`);
        const known = Object.keys((schemaAt(schema, path) as { properties?: object } | undefined)?.properties ?? {});
        issues.push({ key, message: 'unknown key', fix: `remove it or use one of: ${known.join(', ')}` });
      }
      continue;
    }
    if (e.keyword === 'required') {
      const missing = (e.params as { requiredProperties?: string[] }).requiredProperties ?? [];
      for (const name of missing) {
        const p = [...path, name];
        const key = p.join('.');
        if (seen.has(key)) continue;
        seen.add(key);
        issues.push({ key, message: 'is required', fix: describeFix(key, schemaAt(schema, p), opts) });
      }
      continue;
    }
    // Union members each report; keep one line per key.
    if (e.keyword === 'anyOf') message = 'has the wrong type or value';
    path = path.length > 0 ? path : ['(root)'];
    const key = path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    const choices = constChoices(schemaAt(schema, path));
    if (choices !== undefined) message = `must be one of ${choices.join(', ')}`;
    const got = valueAt(withDefaults, path);
    issues.push({
      key,
      message: `${message} (got ${JSON.stringify(got)})`,
      fix: describeFix(key, schemaAt(schema, path), opts),
    });
  }
  throw new ConfigError(source, issues);
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function constChoices(schema: Leaf['schema'] | undefined): string[] | undefined {
  const anyOf = (schema as { anyOf?: { const?: unknown }[] } | undefined)?.anyOf;
  if (anyOf === undefined || !anyOf.every((m) => m.const !== undefined)) return undefined;
  return anyOf.map((m) => String(m.const));
}

