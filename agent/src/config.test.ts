import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentConfigSchema, loadAgentConfig, pollTimeoutMs, resolveAgentConfig } from './config.js';
import { tempDir } from './test-utils/fixtures.js';

const minimal = { agentId: 'site-7', secret: 's3cret', hub: { url: 'mqtts://hub.example.com:8883' } };

function issuesOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('agent configuration', () => {
  it('fills every default around the three required keys', () => {
    expect(resolveAgentConfig(minimal)).toEqual({
      agentId: 'site-7',
      secret: 's3cret',
      hub: { url: 'mqtts://hub.example.com:8883', rejectUnauthorized: true, keepaliveS: 30, reconnectMinMs: 500, reconnectMaxMs: 30000 },
      dataDir: './agent-data',
      outbox: { maxAgeH: 72, maxMB: 256, replayRatePerS: 50, maxInFlight: 50, ackTimeoutS: 30 },
      updates: { publicKeys: [] },
      devices: [{ id: 'host', kind: 'host', pollIntervalS: 10, options: {} }],
    });
  });

  it('describes every outbox key, and refuses a bound that is not positive, naming the key', () => {
    for (const schema of Object.values(AgentConfigSchema.properties.outbox.properties)) expect((schema as { description?: string }).description).toMatch(/\w+/);
    const err = issuesOf(() => resolveAgentConfig({ ...minimal, outbox: { maxMB: 0 } }, { env: { LEDWATCH_AGENT_OUTBOX_REPLAY_RATE_PER_S: '-1' } }));
    expect(err.issues.map((i) => i.key)).toEqual(expect.arrayContaining(['outbox.maxMB', 'outbox.replayRatePerS']));
  });

  it('describes every key of the schema for the reference docs', () => {
    const hub = AgentConfigSchema.properties.hub.properties;
    const described = [AgentConfigSchema.properties.agentId, AgentConfigSchema.properties.dataDir, hub.url, hub.ca, hub.keepaliveS];
    for (const schema of described) expect((schema as { description?: string }).description).toMatch(/\w+/);
  });

  it('does not share the default device list between two loads', () => {
    const a = resolveAgentConfig(minimal);
    a.devices[0]!.pollIntervalS = 99;
    expect(resolveAgentConfig(minimal).devices[0]?.pollIntervalS).toBe(10);
  });

  it('lets LEDWATCH_AGENT_ variables override the file', () => {
    const cfg = resolveAgentConfig(minimal, {
      env: { LEDWATCH_AGENT_HUB_URL: 'wss://other.example.com/mqtt', LEDWATCH_AGENT_HUB_KEEPALIVE_S: '60', LEDWATCH_AGENT_DATA_DIR: '/var/lib/lw' },
    });
    expect(cfg.hub.url).toBe('wss://other.example.com/mqtt');
    expect(cfg.hub.keepaliveS).toBe(60);
    expect(cfg.dataDir).toBe('/var/lib/lw');
  });

  it('fills device defaults and validates driver options with the driver schema', () => {
    const cfg = resolveAgentConfig({ ...minimal, devices: [{ id: 'pc', kind: 'host', options: { mounts: ['/'] } }] });
    expect(cfg.devices).toEqual([{ id: 'pc', kind: 'host', pollIntervalS: 10, options: { mounts: ['/'] } }]);
    expect(pollTimeoutMs(cfg.devices[0]!)).toBe(10_000);
    expect(pollTimeoutMs({ id: 'x', kind: 'host', pollIntervalS: 2 })).toBe(2000);
  });

  it('reports every error at once: missing agentId, bad URL and an unknown driver kind', () => {
    const err = issuesOf(() =>
      resolveAgentConfig(
        { secret: 's', hub: { url: 'http://hub.example.com' }, devices: [{ id: 'pc', kind: 'host' }, { id: 'ups', kind: 'snmpp' }] },
        { source: 'agent.yaml' },
      ),
    );
    expect(err.code).toBe('config-invalid');
    expect(err.issues.map((i) => i.key).sort()).toEqual(['agentId', 'devices.1.kind', 'hub.url']);
    expect(err.issues.find((i) => i.key === 'devices.1.kind')?.fix).toMatch(/known kinds: host/);
    expect(err.issues.find((i) => i.key === 'hub.url')?.fix).toMatch(/LEDWATCH_AGENT_HUB_URL/);
    expect(err.message).toMatch(/agent\.yaml/);
  });

  it('checks driver kinds and options even when the rest of the file is invalid', () => {
    const err = issuesOf(() => resolveAgentConfig({ agentId: 'bad id!', devices: [{ id: 'pc', kind: 'host', options: { mounts: 'root', colour: 1 } }] }));
    expect(err.issues.map((i) => i.key).sort()).toEqual(['agentId', 'devices.0.options.colour', 'devices.0.options.mounts', 'hub.url', 'secret']);
  });

  it('refuses duplicate device ids, an inverted reconnect window and an unreadable CA file', () => {
    const err = issuesOf(() =>
      resolveAgentConfig({
        ...minimal,
        hub: { url: 'mqtts://h:8883', reconnectMinMs: 5000, reconnectMaxMs: 1000, ca: '/nonexistent/ca.pem' },
        devices: [{ id: 'pc', kind: 'host' }, { id: 'pc', kind: 'host' }],
      }),
    );
    expect(err.issues.map((i) => i.key).sort()).toEqual(['devices.1.id', 'hub.ca', 'hub.reconnectMinMs']);
  });

  it('runs each driver’s own option checks at load, naming the device', () => {
    let err: ConfigError | undefined;
    try {
      resolveAgentConfig({
        ...minimal,
        devices: [
          { id: 'ctrl-1', kind: 'novastar', options: { transport: 'tcp' } },
          { id: 'psu-1', kind: 'modbus', options: { transport: 'rtu', profile: 'led-psu-generic' } },
          { id: 'ups-1', kind: 'snmp', options: { host: '127.0.0.1', profile: 'ups-mib', version: '3', v3: { user: 'u', level: 'authPriv' } } },
        ],
      });
    } catch (e) {
      err = e as ConfigError;
    }
    const lines = err?.issues.map((i) => `${i.key}: ${i.message}`).join('\n') ?? '';
    expect(lines).toMatch(/devices\.0\.options: .*host/);
    expect(lines).toMatch(/devices\.1\.options: [\s\S]*options\.path: is required/);
    expect(lines).toMatch(/devices\.2\.options\.v3/);
  });

  it('reads devices from a JSON env variable when checking kinds', () => {
    const err = issuesOf(() => resolveAgentConfig({ secret: 's' }, { env: { LEDWATCH_AGENT_DEVICES: '[{"id":"x","kind":"nope"}]' } }));
    expect(err.issues.map((i) => i.key)).toContain('devices.0.kind');
  });
});

describe('loadAgentConfig', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('loads a YAML file with env overrides', async () => {
    const file = join(dir.path, 'agent.yaml');
    await writeFile(file, 'agentId: site-9\nsecret: abc\nhub:\n  url: mqtt://127.0.0.1:1883\n');
    const cfg = loadAgentConfig(file, { LEDWATCH_AGENT_HUB_RECONNECT_MAX_MS: '5000' });
    expect(cfg.agentId).toBe('site-9');
    expect(cfg.hub.reconnectMaxMs).toBe(5000);
  });

  it('names the file when it is missing or not YAML', async () => {
    const bad = join(dir.path, 'bad.yaml');
    await writeFile(bad, 'agentId: [unclosed\n');
    expect(issuesOf(() => loadAgentConfig(bad, {})).issues[0]?.message).toMatch(/not valid YAML/);
    expect(issuesOf(() => loadAgentConfig(join(dir.path, 'none.yaml'), {})).issues[0]?.message).toMatch(/cannot read/);
  });
});
