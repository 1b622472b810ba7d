/**
 * Markdown reference of a config schema (key, env variable, default, meaning), kept in the
 * README between markers and checked against the schema by a test.
 */
import type { TSchema } from 'typebox';
import { configLeaves, envNameFor } from './resolve.js';

function typeOf(s: Record<string, unknown>): string {
  if (Array.isArray(s.anyOf)) {
    const consts = (s.anyOf as Record<string, unknown>[]).map((x) => x.const).filter((c) => c !== undefined);
    if (consts.length === (s.anyOf as unknown[]).length) return consts.map((c) => `\`${String(c)}\``).join(' \\| ');
    return (s.anyOf as Record<string, unknown>[]).map(typeOf).join(' \\| ');
  }
  if (s.type === 'array') return `list of ${typeOf((s.items ?? {}) as Record<string, unknown>)}`;
  if (s.type === 'object') return 'object';
  return String(s.type ?? 'any');
}

export function renderConfigReference(schema: TSchema, envPrefix: string, required: readonly string[] = []): string {
  const rows = ['| key | env | type | default | meaning |', '|---|---|---|---|---|'];
  for (const leaf of configLeaves(schema)) {
    const s = leaf.schema as unknown as Record<string, unknown>;
    const key = leaf.path.join('.');
    const def = s.default === undefined ? (required.includes(key) ? '*required*' : '') : `\`${JSON.stringify(s.default)}\``;
    const meaning = String(s.description ?? '').replace(/\|/g, '\\|');
    rows.push(`| \`${key}\` | \`${envNameFor(envPrefix, leaf.path)}\` | ${typeOf(s)} | ${def} | ${meaning} |`);
  }
  return rows.join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceMarkedSection(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers ${start} … ${end} not found`);
  return `${doc.slice(0, i + start.length)}\n${body}\n${doc.slice(j)}`;
}
