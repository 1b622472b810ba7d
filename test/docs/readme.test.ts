import { readFileSync } from 'node:fs';
import { configLeaves, envNameFor } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { AGENT_ENV_PREFIX, AgentConfigSchema } from '../../agent/src/config.js';
import { HUB_ENV_PREFIX, HubConfigSchema } from '../../hub/src/config.js';
import { README_PATH, renderReadme } from '../support/readme.js';

describe('README', () => {
  const readme = readFileSync(README_PATH, 'utf8');

  it('has a configuration reference that matches the schemas (run npm run docs to update)', () => {
    expect(readme).toBe(renderReadme(readme));
  });

  it('names every hub and agent key with its environment variable', () => {
    for (const [schema, prefix] of [
      [HubConfigSchema, HUB_ENV_PREFIX],
      [AgentConfigSchema, AGENT_ENV_PREFIX],
    ] as const) {
      for (const leaf of configLeaves(schema)) {
        expect(readme, leaf.path.join('.')).toContain(`| \`${leaf.path.join('.')}\` | \`${envNameFor(prefix, leaf.path)}\` |`);
      }
    }
  });

  it('shows exactly the two set-up commands', () => {
    const setup = /## Set up\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(setup.trim().split('\n').map((l) => l.split('#')[0]?.trim())).toEqual(['npm install && npm start', 'npm test']);
  });
});
