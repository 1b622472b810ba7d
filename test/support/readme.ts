/**
 * The README's configuration reference, generated from the hub and agent config schemas.
 * `npm run docs` writes it; test/docs/readme.test.ts fails when it is out of date.
 */
import { readFileSync } from 'node:fs';
import { renderConfigReference, replaceMarkedSection } from '@ledwatch/protocols';
import { AGENT_ENV_PREFIX, AgentConfigSchema } from '../../agent/src/config.js';
import { HUB_ENV_PREFIX, HubConfigSchema } from '../../hub/src/config.js';
import { REPO_ROOT } from './processes.js';

export const README_PATH = `${REPO_ROOT}README.md`;

export function renderReadme(current = readFileSync(README_PATH, 'utf8')): string {
  const hub = `${renderConfigReference(HubConfigSchema, HUB_ENV_PREFIX)}\n\n\`PORT\` is accepted as an alias of \`LEDWATCH_HTTP_PORT\`.`;
  const agent = renderConfigReference(AgentConfigSchema, AGENT_ENV_PREFIX, ['agentId', 'secret', 'hub.url']);
  return replaceMarkedSection(replaceMarkedSection(current, 'hub-config', hub), 'agent-config', agent);
}
