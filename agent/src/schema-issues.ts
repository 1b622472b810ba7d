/** Turns TypeBox validation errors into config issues named by dotted key. */
import { allSchemaErrors, type ConfigIssue } from '@ledwatch/protocols';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

export function schemaIssues(schema: TSchema, value: unknown, keyPrefix: string, fix: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  const add = (key: string, message: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    issues.push({ key, message, fix });
  };
  for (const e of allSchemaErrors(Compile(schema), value)) {
    if (e.keyword === 'boolean') continue; // repeats an additionalProperties error
    const path = [keyPrefix, ...e.instancePath.split('/').filter((s) => s !== '')].join('.');
    if (e.keyword === 'additionalProperties') {
      for (const name of (e.params as { additionalProperties?: string[] }).additionalProperties ?? []) add(`${path}.${name}`, 'unknown key');
    } else if (e.keyword === 'required') {
      for (const name of (e.params as { requiredProperties?: string[] }).requiredProperties ?? []) add(`${path}.${name}`, 'is required');
    } else {
      add(path, e.message);
    }
  }
  return issues;
}
