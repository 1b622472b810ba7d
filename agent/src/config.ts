/**
 * Agent configuration: YAML file ← `LEDWATCH_AGENT_<KEY>` env ← defaults, validated at
 * start-up with every error at once (see protocols/src/config), plus the checks a schema
 * cannot express: device kinds and each driver's own options, unique device ids, a
 * readable CA file, a sane reconnect window.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { ConfigError, ID_PATTERN, envNameFor, resolveConfig, type ConfigIssue } from '@ledwatch/protocols';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { builtinDrivers } from './drivers/builtin.js';
import type { DriverRegistry } from './drivers/registry.js';
import { errorMessage } from './errors.js';
import { schemaIssues } from './schema-issues.js';

export const AGENT_ENV_PREFIX = 'LEDWATCH_AGENT';

/** Top-level device ids; readings of sub-devices use `<id>/<part>`. */
export const DEVICE_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,100}$';

export const DeviceConfigSchema = Type.Object(
  {
    id: Type.String({ pattern: DEVICE_ID_PATTERN, description: 'unique id of the device on this site, e.g. host or ctrl-1' }),
    kind: Type.String({ minLength: 1, description: 'driver kind that reads the device, e.g. host' }),
    name: Type.Optional(Type.String({ maxLength: 200, description: 'name shown on dashboards' })),
    pollIntervalS: Type.Number({ minimum: 1, default: 10, description: 'seconds between two polls of the device' }),
    timeoutMs: Type.Optional(
      Type.Integer({ minimum: 1, description: 'poll timeout in milliseconds; default the smaller of 10000 and the poll interval' }),
    ),
    options: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'driver-specific options, checked by the driver of this kind' }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceConfig = Static<typeof DeviceConfigSchema>;

export const DEFAULT_DEVICES: readonly DeviceConfig[] = [{ id: 'host', kind: 'host', pollIntervalS: 10 }];

export const AgentConfigSchema = Type.Object(
  {
    agentId: Type.String({ pattern: ID_PATTERN, description: 'id of this agent issued by the hub; also its MQTT client id and username' }),
    secret: Type.String({ minLength: 1, description: 'agent secret issued at provisioning, used as the MQTT password (never logged)' }),
    hub: Type.Object(
      {
        url: Type.String({
          pattern: '^(mqtts?|wss?)://[^\\s/?#]+',
          description: 'broker URL, e.g. mqtts://hub.example.com:8883 or wss://hub.example.com/mqtt (mqtt://, mqtts://, ws://, wss://)',
        }),
        ca: Type.Optional(Type.String({ minLength: 1, description: 'path of a PEM CA bundle to trust for mqtts:// and wss://' })),
        rejectUnauthorized: Type.Boolean({ default: true, description: 'refuse brokers whose TLS certificate does not verify' }),
        keepaliveS: Type.Integer({ minimum: 5, maximum: 3600, default: 30, description: 'MQTT keep-alive in seconds' }),
        reconnectMinMs: Type.Integer({ minimum: 10, default: 500, description: 'shortest wait before reconnecting, in ms' }),
        reconnectMaxMs: Type.Integer({ minimum: 10, default: 30000, description: 'longest wait before reconnecting, in ms' }),
      },
      { additionalProperties: false, default: {} },
    ),
    dataDir: Type.String({
      minLength: 1,
      default: './agent-data',
      description: 'folder of the agent state (telemetry sequence, outbox.db), relative to the working directory',
    }),
    outbox: Type.Object(
      {
        maxAgeH: Type.Number({
          exclusiveMinimum: 0,
          default: 72,
          description: 'hours a batch may wait on disk for the hub; older ones are dropped, oldest first, and reported (outbox-overflow)',
        }),
        maxMB: Type.Number({
          exclusiveMinimum: 0,
          default: 256,
          description: 'megabytes of telemetry kept on disk while the hub does not ack; beyond it the oldest are dropped and reported (outbox-overflow)',
        }),
        replayRatePerS: Type.Number({
          exclusiveMinimum: 0,
          default: 50,
          description: 'most batches sent per second, e.g. while catching up after an outage',
        }),
        maxInFlight: Type.Integer({ minimum: 1, default: 50, description: 'most batches sent and not yet acked by the hub' }),
        ackTimeoutS: Type.Number({
          exclusiveMinimum: 0,
          default: 30,
          description: 'seconds the hub may leave sent batches unacked before they are sent again',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    updates: Type.Object(
      {
        publicKeys: Type.Array(Type.String({ pattern: '^ed25519:[A-Za-z0-9_-]{43}$' }), {
          default: [],
          description: 'release public keys (releaseKeys of the provisioning answer); upgrades signed by any other key are refused',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    devices: Type.Array(DeviceConfigSchema, {
      default: DEFAULT_DEVICES,
      description: 'devices to read: a list of { id, kind, name, pollIntervalS, timeoutMs, options }',
    }),
  },
  { additionalProperties: false },
);
export type AgentConfig = Static<typeof AgentConfigSchema>;

export interface ResolveAgentConfigOptions {
  env?: Record<string, string | undefined>;
  /** Names the config in messages, e.g. its path. */
  source?: string;
  /** Driver kinds devices may use; the built-in drivers by default. */
  registry?: DriverRegistry;
}

/** The poll timeout of a device: `timeoutMs`, else the smaller of 10 s and its interval. */
export function pollTimeoutMs(device: DeviceConfig): number {
  return device.timeoutMs ?? Math.min(10_000, device.pollIntervalS * 1000);
}

/**
 * Resolves and validates a parsed config object (no file I/O except checking that
 * `hub.ca` is readable). Throws {@link ConfigError} listing every problem.
 */
export function resolveAgentConfig(fileObject: unknown, opts: ResolveAgentConfigOptions = {}): AgentConfig {
  const env = opts.env ?? {};
  const source = opts.source ?? 'agent config';
  const registry = opts.registry ?? builtinDrivers();
  const issues: ConfigIssue[] = [];
  let config: AgentConfig | undefined;
  try {
    config = resolveConfig<AgentConfig>(AgentConfigSchema, fileObject, { envPrefix: AGENT_ENV_PREFIX, env, source });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    issues.push(...err.issues);
  }
  // Device checks run even when the schema failed elsewhere, so every error shows at once.
  const devices = config?.devices ?? devicesCandidate(fileObject, env);
  issues.push(...checkDevices(devices, registry));
  if (config) issues.push(...checkHub(config));
  if (issues.length > 0 || config === undefined) throw new ConfigError(source, dedupe(issues));
  return config;
}

/** Reads a YAML file and resolves it; see {@link resolveAgentConfig}. */
export function loadAgentConfig(
  file: string,
  env: Record<string, string | undefined> = process.env,
  registry?: DriverRegistry,
): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [
      { key: '(file)', message: `cannot read ${file}: ${(err as Error).message}`, fix: 'pass --config with the path of an existing agent.yaml' },
    ]);
  }
  let fileObject: unknown;
  try {
    fileObject = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(file, [{ key: '(file)', message: `not valid YAML: ${(err as Error).message}`, fix: 'correct the YAML syntax at the line named' }]);
  }
  return resolveAgentConfig(fileObject, registry === undefined ? { env, source: file } : { env, source: file, registry });
}

/** The devices as far as they can be known when the whole config did not validate. */
function devicesCandidate(fileObject: unknown, env: Record<string, string | undefined>): unknown[] {
  const fromEnv = env[envNameFor(AGENT_ENV_PREFIX, ['devices'])];
  if (fromEnv !== undefined) {
    try {
      const parsed: unknown = JSON.parse(fromEnv);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }
  const raw = typeof fileObject === 'object' && fileObject !== null ? (fileObject as { devices?: unknown }).devices : undefined;
  if (raw === undefined) return structuredClone([...DEFAULT_DEVICES]);
  return Array.isArray(raw) ? raw : [];
}

function checkDevices(devices: readonly unknown[], registry: DriverRegistry): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  devices.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null) return; // the schema reports it
    const device = entry as { id?: unknown; kind?: unknown; options?: unknown };
    if (typeof device.id === 'string') {
      const first = seen.get(device.id);
      if (first !== undefined) {
        issues.push({ key: `devices.${i}.id`, message: `duplicates the id of devices.${first}`, fix: 'give every device a unique id' });
      } else seen.set(device.id, i);
    }
    if (typeof device.kind !== 'string') return;
    if (!registry.has(device.kind)) {
      issues.push({
        key: `devices.${i}.kind`,
        message: `unknown driver kind ${JSON.stringify(device.kind)}`,
        fix: `use one of the known kinds: ${registry.describeKinds()}`,
      });
      return;
    }
    const factory = registry.get(device.kind);
    const options = Value.Default(factory.optionsSchema, structuredClone(device.options ?? {})) as unknown;
    const found = schemaIssues(factory.optionsSchema, options, `devices.${i}.options`, `see the options of the ${device.kind} driver`);
    if (found.length === 0 && factory.check !== undefined) {
      try {
        factory.check(device as DeviceConfig, options);
      } catch (err) {
        const hint = (err as { hint?: unknown }).hint;
        found.push({ key: `devices.${i}.options`, message: errorMessage(err), fix: typeof hint === 'string' && hint !== '' ? hint : `see the options of the ${device.kind} driver` });
      }
    }
    issues.push(...found);
    if (found.length === 0) device.options = options as Record<string, unknown>;
  });
  return issues;
}

function checkHub(config: AgentConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { hub } = config;
  try {
    new URL(hub.url);
  } catch {
    issues.push({ key: 'hub.url', message: `is not a valid URL (got ${JSON.stringify(hub.url)})`, fix: 'write it like mqtts://hub.example.com:8883' });
  }
  if (hub.reconnectMinMs > hub.reconnectMaxMs) {
    issues.push({
      key: 'hub.reconnectMinMs',
      message: `is larger than hub.reconnectMaxMs (${hub.reconnectMinMs} > ${hub.reconnectMaxMs})`,
      fix: 'make hub.reconnectMinMs at most hub.reconnectMaxMs',
    });
  }
  if (hub.ca !== undefined) {
    try {
      accessSync(hub.ca, constants.R_OK);
    } catch (err) {
      issues.push({ key: 'hub.ca', message: `cannot read ${hub.ca}: ${(err as Error).message}`, fix: 'point hub.ca at a readable PEM file' });
    }
  }
  return issues;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.key}\u0000${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
