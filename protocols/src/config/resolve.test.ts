import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ConfigError, configLeaves, envNameFor, resolveConfig } from './resolve.js';

const Schema = Type.Object(
  {
    http: Type.Object(
      {
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'TCP port of the HTTP API' }),
        publicUrl: Type.Optional(Type.String({ description: 'base URL users reach the hub at' })),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      { level: Type.Union([Type.Literal('info'), Type.Literal('debug')], { default: 'info' }), pretty: Type.Boolean({ default: false }) },
      { additionalProperties: false, default: {} },
    ),
    tags: Type.Array(Type.String(), { default: [] }),
  },
  { additionalProperties: false },
);

describe('resolveConfig', () => {
  it('fills defaults when nothing is given', () => {
    expect(resolveConfig(Schema, undefined, { envPrefix: 'LW' })).toEqual({
      http: { port: 8080 },
      log: { level: 'info', pretty: false },
      tags: [],
    });
  });

  it('lets prefixed env vars override the file, coercing by the schema type', () => {
    const cfg = resolveConfig<{ http: { port: number; publicUrl: string }; log: { pretty: boolean }; tags: string[] }>(
      Schema,
      { http: { port: 1 } },
      { envPrefix: 'LW', env: { LW_HTTP_PORT: '9090', LW_HTTP_PUBLIC_URL: 'http://x', LW_LOG_PRETTY: 'true', LW_TAGS: 'a, b' } },
    );
    expect(cfg.http).toEqual({ port: 9090, publicUrl: 'http://x' });
    expect(cfg.log.pretty).toBe(true);
    expect(cfg.tags).toEqual(['a', 'b']);
  });

  it('accepts an alias env name, with the prefixed name winning', () => {
    expect(resolveConfig<{ http: { port: number } }>(Schema, {}, { envPrefix: 'LW', env: { PORT: '7000' }, envAliases: { PORT: 'http.port' } }).http.port).toBe(7000);
    expect(
      resolveConfig<{ http: { port: number } }>(Schema, {}, { envPrefix: 'LW', env: { PORT: '7000', LW_HTTP_PORT: '7001' }, envAliases: { PORT: 'http.port' } }).http.port,
    ).toBe(7001);
  });

  it('reports every error at once, naming the key and the fix', () => {
    let err: ConfigError | undefined;
    try {
      resolveConfig(Schema, { http: { port: 70000, colour: 'red' }, log: { level: 'loud' } }, { envPrefix: 'LW', source: 'hub.yaml' });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.code).toBe('config-invalid');
    const keys = err?.issues.map((i) => i.key).sort();
    expect(keys).toEqual(['http.colour', 'http.port', 'log.level']);
    const port = err?.issues.find((i) => i.key === 'http.port');
    expect(port?.message).toMatch(/65535.*70000/);
    expect(port?.fix).toMatch(/TCP port of the HTTP API.*LW_HTTP_PORT/);
    expect(err?.issues.find((i) => i.key === 'http.colour')?.fix).toMatch(/port, publicUrl/);
    expect(err?.message).toMatch(/hub\.yaml/);
  });

  it('reports more than eight problems at once', () => {
    const Many = Type.Object(
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, Type.Integer({ default: 0 })])),
      { additionalProperties: false },
    );
    const bad = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, 'x']));
    try {
      resolveConfig(Many, bad, { envPrefix: 'LW' });
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).issues).toHaveLength(12);
    }
  });

  it('reports a non-numeric env value against its key', () => {
    expect(() => resolveConfig(Schema, {}, { envPrefix: 'LW', env: { LW_HTTP_PORT: 'eighty' } })).toThrow(/http\.port/);
  });

  it('refuses a file that is not a mapping', () => {
    expect(() => resolveConfig(Schema, ['a'], { envPrefix: 'LW' })).toThrow(ConfigError);
  });

  it('lists leaves and env names for documentation', () => {
    expect(configLeaves(Schema).map((l) => l.path.join('.'))).toEqual(['http.port', 'http.publicUrl', 'log.level', 'log.pretty', 'tags']);
    expect(envNameFor('LEDWATCH', ['http', 'publicUrl'])).toBe('LEDWATCH_HTTP_PUBLIC_URL');
  });
});
