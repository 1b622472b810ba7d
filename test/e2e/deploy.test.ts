/**
 * The production deployment: docker-compose.yml validated by Debian's docker-compose
 * (`config -q`, no engine needed), checked against the hub's configuration schema so the
 * two cannot drift, the hub image's Dockerfile, and the container health check run
 * against a real hub over HTTP and HTTPS.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { configLeaves, envNameFor } from '@ledwatch/protocols';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_ENV_ALIASES, HUB_ENV_PREFIX, HubConfigSchema, loadHubConfig } from '../../hub/src/config.js';
import { startTestHub } from '../support/hub.js';
import { freePort, makeTestCertificate, serviceAvailable, tempDir } from '../support/services.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const ENV_EXAMPLE = join(ROOT, '.env.example');
const HEALTHCHECK = join(ROOT, 'hub/deploy/healthcheck.mjs');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  restart?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  secrets?: string[];
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { file: string }>;
}

const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const compose = parseYaml(composeText) as Compose;
const envExample = Object.fromEntries(
  readFileSync(ENV_EXAMPLE, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
/** Variables the compose file takes from .env / the shell: `${NAME…}`. */
const composeVariables = [...new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] as string))].sort();
/** Required ones: `${NAME:?message}`. */
const requiredVariables = [...new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*):\?/g)].map((m) => m[1] as string))].sort();

const hasCompose = serviceAvailable('docker-compose', 'docker-compose');
function dockerCompose(envFile: string, ...args: string[]) {
  // A clean environment: only the env file may supply the settings.
  return spawnSync('docker-compose', ['--project-directory', ROOT, '-f', COMPOSE_FILE, '--env-file', envFile, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
  });
}

describe('docker-compose.yml', () => {
  const work = tempDir('compose');
  afterAll(() => work.cleanup());

  it.skipIf(!hasCompose)('is valid for docker-compose with the settings of .env.example', () => {
    const r = dockerCompose(ENV_EXAMPLE, 'config', '-q');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!hasCompose)('refuses to run without each required secret, naming it', () => {
    expect(requiredVariables).toEqual(
      expect.arrayContaining(['GRAFANA_ADMIN_PASSWORD', 'INFLUXDB_ADMIN_PASSWORD', 'INFLUXDB_READ_USER_PASSWORD', 'LEDWATCH_TLS_CERT_FILE', 'LEDWATCH_TLS_KEY_FILE']),
    );
    for (const name of requiredVariables) {
      const file = join(work.dir, `without-${name}.env`);
      writeFileSync(file, Object.entries(envExample).filter(([k]) => k !== name).map(([k, v]) => `${k}=${v}\n`).join(''));
      const r = dockerCompose(file, 'config', '-q');
      expect(r.status, name).not.toBe(0);
      expect(r.stderr, name).toContain(name);
    }
  });

  it.skipIf(!hasCompose)("gives the hub an environment the hub's configuration accepts", () => {
    const r = dockerCompose(ENV_EXAMPLE, 'config');
    expect(r.status, r.stderr).toBe(0);
    const resolved = parseYaml(r.stdout) as Compose;
    const env = resolved.services.hub?.environment ?? {};
    const config = loadHubConfig({ env });
    expect(config.influx.url).toBe('http://influxdb:8086');
    expect(config.tls).toEqual({ cert: '/run/secrets/hub_tls_cert', key: '/run/secrets/hub_tls_key' });
    expect(config.http.publicUrl).toBe(envExample.LEDWATCH_HTTP_PUBLIC_URL);
    expect(config.telemetry.rawRetentionDays).toBe(30);
  });

  it('sets only LEDWATCH_* variables of the hub that are keys of its configuration schema', () => {
    const known = new Set([...configLeaves(HubConfigSchema).map((l) => envNameFor(HUB_ENV_PREFIX, l.path)), ...Object.keys(HUB_ENV_ALIASES)]);
    const names = Object.keys(compose.services.hub?.environment ?? {});
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('writes no secret itself: passwords come from the environment, TLS files from compose secrets', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!/PASSWORD|SECRET|TOKEN/.test(key)) continue;
        expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
      }
    }
    expect(compose.services.hub?.environment?.LEDWATCH_TLS_KEY).toBe('/run/secrets/hub_tls_key');
    expect(compose.secrets.hub_tls_key?.file).toMatch(/^\$\{LEDWATCH_TLS_KEY_FILE:\?/);
    expect(envExample.INFLUXDB_ADMIN_PASSWORD).toBe('CHANGE_ME');
  });

  it('keeps .env and the TLS folder out of git', () => {
    for (const path of ['.env', 'tls/privkey.pem']) {
      const r = spawnSync('git', ['check-ignore', '-q', path], { cwd: ROOT });
      expect(r.status, path).toBe(0);
    }
  });

  it('takes every variable it uses from .env.example, which holds nothing else', () => {
    expect(Object.keys(envExample).sort()).toEqual(composeVariables);
  });

  it('runs hub, InfluxDB and Grafana with a restart policy, a health check and named volumes', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'hub', 'influxdb']);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.restart, name).toBe('unless-stopped');
      expect(service.healthcheck?.test[0], name).toMatch(/^CMD/);
      const named = (service.volumes ?? []).map((v) => v.split(':')[0] as string).filter((src) => !src.startsWith('.'));
      expect(named.length, name).toBeGreaterThan(0);
      for (const volume of named) expect(Object.keys(compose.volumes), `${name}: ${volume}`).toContain(volume);
    }
    expect(compose.services.hub?.build).toEqual({ context: '.', dockerfile: 'hub/deploy/Dockerfile' });
    expect(compose.services.hub?.ports).toEqual(['${LEDWATCH_HTTPS_PORT:-443}:8080', '${LEDWATCH_MQTTS_PORT:-8883}:8883']);
    expect(compose.services.influxdb?.ports).toBeUndefined();
  });

  it("mounts Grafana's provisioning, and the dashboards where its provider reads them", () => {
    const volumes = compose.services.grafana?.volumes ?? [];
    expect(volumes).toContain('./dashboards/grafana/provisioning:/etc/grafana/provisioning:ro');
    const provider = parseYaml(readFileSync(join(ROOT, 'dashboards/grafana/provisioning/dashboards/ledwatch.yaml'), 'utf8')) as { providers: { options: { path: string } }[] };
    const path = provider.providers[0]?.options.path;
    expect(volumes).toContain(`./dashboards/grafana/dashboards:${path}:ro`);
    // The data source's ${…} placeholders are all in Grafana's environment.
    const datasource = readFileSync(join(ROOT, 'dashboards/grafana/provisioning/datasources/influxdb.yaml'), 'utf8');
    const used = [...datasource.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1] as string);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(Object.keys(compose.services.grafana?.environment ?? {}), name).toContain(name);
  });
});

describe('hub/deploy/Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'hub/deploy/Dockerfile'), 'utf8');
  const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);

  it('builds in stages on Node 20 and runs ledwatch-hub as the unprivileged node user', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-/m);
    expect(froms.length).toBeGreaterThanOrEqual(3);
    expect(froms.every((f) => f === '${NODE_IMAGE}' || f?.startsWith('toolchain'))).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["ledwatch-hub"\]$/m);
    expect(dockerfile).toMatch(/^CMD \["run"\]$/m);
    expect(dockerfile).toContain('npm ci --omit=dev --workspace @ledwatch/hub');
    expect(dockerfile).toContain('npm run build --workspace @ledwatch/dashboards --if-present');
  });

  it('copies only files that exist in the repository (or are built from it)', () => {
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      const src = m[1] as string;
      expect(spawnSync('test', ['-e', join(ROOT, src)]).status, src).toBe(0);
    }
  });

  it('keeps node_modules, build output, local data and secrets out of the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.env', 'data', 'tls', '.git']) expect(ignore, entry).toContain(entry);
  });
});

describe('the hub container health check (hub/deploy/healthcheck.mjs)', () => {
  const run = promisify(execFile);
  const check = (env: Record<string, string>) =>
    run(process.execPath, [HEALTHCHECK], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: err.stderr ?? '' }),
    );

  it('passes against a running hub over HTTP and fails where no hub answers', async () => {
    const hub = await startTestHub();
    try {
      const port = new URL(hub.url).port;
      expect(await check({ LEDWATCH_HTTP_PORT: port })).toEqual({ code: 0, stderr: '' });
      const closed = await check({ LEDWATCH_HTTP_PORT: String(await freePort()) });
      expect(closed.code).toBe(1);
      expect(closed.stderr).toMatch(/ledwatch hub health check: http:\/\/127\.0\.0\.1:\d+\/api\/health: .*ECONNREFUSED/);
    } finally {
      await hub.stop();
    }
  });

  it.skipIf(!serviceAvailable('openssl', 'openssl'))('speaks HTTPS when the hub has a TLS certificate', async () => {
    const dir = tempDir('healthcheck-tls');
    const { cert, key } = makeTestCertificate(dir.dir);
    const hub = await startTestHub({ tls: { cert, key } });
    try {
      expect(hub.url).toMatch(/^https:/);
      expect(await check({ LEDWATCH_HTTP_PORT: new URL(hub.url).port, LEDWATCH_TLS_CERT: cert })).toEqual({ code: 0, stderr: '' });
      // The same port without TLS: the hub does not answer plain HTTP there.
      expect((await check({ LEDWATCH_HTTP_PORT: new URL(hub.url).port })).code).toBe(1);
    } finally {
      await hub.stop();
      dir.cleanup();
    }
  });
});
