/**
 * The configuration the hub pushed (devices, drivers, poll intervals), kept in the data
 * folder so it survives restarts: at start-up it takes the place of the file's devices.
 * Validated like the file (every driver checks its options); a bad push is refused with
 * every problem and the config in force stays.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigCommandParams, ConfigError, type RemoteAgentConfig } from '@ledwatch/protocols';
import { Compile } from 'typebox/compile';
import { resolveAgentConfig, type AgentConfig, type DeviceConfig } from './config.js';
import type { DriverRegistry } from './drivers/registry.js';
import type { ConfigOutcome } from './commands.js';
import type { Logger } from './log.js';

export const REMOTE_CONFIG_FILE = 'remote-config.json';

export interface RemoteConfigInForce {
  version: number;
  devices: DeviceConfig[];
}

const checkParams = Compile(ConfigCommandParams);

/** Checks pushed params against the contract and the drivers; gives devices or the issues. */
export function validatePush(
  params: unknown,
  base: AgentConfig,
  registry: DriverRegistry | undefined,
): { ok: true; version: number; devices: DeviceConfig[] } | Extract<ConfigOutcome, { ok: false }> {
  // The devices are checked below with the agent's own schema and drivers (every problem at
  // once, named by key); the contract check refuses only a broken envelope.
  if (hasEnvelope(params)) return withDevices(params.version, { devices: params.config.devices as RemoteAgentConfig['devices'] }, base, registry);
  if (!checkParams.Check(params)) {
    const issues = [...checkParams.Errors(params)].filter((e) => e.keyword !== 'boolean').slice(0, 20).map((e) => `${e.instancePath || '/'}: ${e.message}`);
    return { ok: false, code: 'config-invalid', message: `the pushed config does not match the contract: ${issues.join('; ')}`, issues };
  }
  return withDevices(params.version, params.config, base, registry);
}

function withDevices(version: number, config: RemoteAgentConfig, base: AgentConfig, registry: DriverRegistry | undefined) {
  try {
    const resolved = resolveAgentConfig({ ...base, devices: config.devices }, { env: {}, source: `pushed config v${version}`, ...(registry ? { registry } : {}) });
    return { ok: true as const, version, devices: resolved.devices };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const issues = err.issues.map((i) => `${i.key}: ${i.message}. Fix: ${i.fix}`);
    return { ok: false as const, code: 'config-invalid', message: `config v${version} refused: ${issues.join('; ')}`, issues };
  }
}

export async function loadRemoteConfig(dataDir: string, base: AgentConfig, registry: DriverRegistry | undefined, log: Logger): Promise<RemoteConfigInForce | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, REMOTE_CONFIG_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const saved = JSON.parse(text) as { version: number; devices: RemoteAgentConfig['devices'] };
    const checked = validatePush({ version: saved.version, config: { devices: saved.devices } }, base, registry);
    if (checked.ok) return { version: checked.version, devices: checked.devices };
    log.warn({ issues: checked.issues }, 'saved remote config no longer valid; using the config file');
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'saved remote config unreadable; using the config file');
  }
  return undefined;
}

export async function saveRemoteConfig(dataDir: string, inForce: RemoteConfigInForce): Promise<void> {
  const file = join(dataDir, REMOTE_CONFIG_FILE);
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify(inForce, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

function hasEnvelope(p: unknown): p is { version: number; config: { devices: unknown[] } } {
  if (typeof p !== 'object' || p === null) return false;
  const { version, config } = p as { version?: unknown; config?: unknown };
  return (
    Number.isInteger(version) &&
    (version as number) >= 1 &&
    typeof config === 'object' &&
    config !== null &&
    Object.keys(config).every((k) => k === 'devices') &&
    Array.isArray((config as { devices?: unknown }).devices)
  );
}
