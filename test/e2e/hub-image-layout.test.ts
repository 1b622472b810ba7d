/**
 * The hub image without a Docker engine: the final stage of hub/deploy/Dockerfile is
 * replayed on disk — each of its `COPY --from=…` lines applied to this checkout after the
 * same `tsc -b` — and the hub is started from that folder with plain node, the way the
 * container's ENTRYPOINT does. A file the image forgets (a dist folder, a nested
 * node_modules) makes the hub fail to start here. Dependencies are linked from this
 * checkout, not copied (the image installs the hub's production ones into the same
 * places); the workspace packages (@ledwatch/*) resolve inside the assembled folder, as in
 * the image.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import { freePort, stopProcess, tempDir, waitFor } from '../support/services.js';

const DOCKERFILE = readFileSync(join(REPO_ROOT, 'hub/deploy/Dockerfile'), 'utf8');
/** What the build stage removes from the dashboards package before the final stage copies it. */
const BUILD_STAGE_REMOVES = ['dashboards/node_modules', 'dashboards/src', 'dashboards/grafana'];

/** `COPY --from=<stage> /src/<path> <dest>` lines of the last stage, as [path, dest]. */
function finalStageCopies(): [string, string][] {
  const last = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
  return [...last.matchAll(/^COPY --from=\S+ \/src\/(\S+) (\S+)$/gm)].map((m) => [m[1] as string, m[2] as string]);
}

function assemble(app: string): void {
  for (const [path, dest] of finalStageCopies()) {
    const src = join(REPO_ROOT, path);
    const target = dest.endsWith('/') ? join(app, dest, path.split('/').pop() as string) : join(app, dest);
    mkdirSync(dirname(target), { recursive: true });
    if (path === 'node_modules') {
      mkdirSync(target);
      for (const entry of readdirSync(src)) if (entry !== '@ledwatch') symlinkSync(join(src, entry), join(target, entry));
      mkdirSync(join(target, '@ledwatch'));
      for (const pkg of ['protocols', 'hub', 'dashboards']) symlinkSync(`../../${pkg}`, join(target, '@ledwatch', pkg), 'dir');
      continue;
    }
    if (path.endsWith('node_modules')) {
      if (existsSync(src)) symlinkSync(src, target, 'dir'); // the image creates the empty ones
      continue;
    }
    cpSync(src, target, { recursive: true, filter: (s) => !BUILD_STAGE_REMOVES.some((r) => s.startsWith(join(REPO_ROOT, r))) });
  }
}

describe('the hub image layout (final stage of hub/deploy/Dockerfile)', () => {
  const work = tempDir('hub-image');
  const app = join(work.dir, 'app');
  let hub: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'hub/tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tsc -b hub failed: ${r.stdout}${r.stderr}`);
    assemble(app);
  }, 180_000);

  afterAll(async () => {
    if (hub) await stopProcess(hub);
    work.cleanup();
  });

  it('holds the built hub, protocols and web UI but no sources', () => {
    expect(finalStageCopies().map(([p]) => p)).toEqual(expect.arrayContaining(['hub/dist', 'protocols/dist', 'dashboards', 'node_modules', 'hub/node_modules']));
    for (const file of ['hub/dist/cli.js', 'hub/bin/ledwatch-hub.js', 'hub/deploy/healthcheck.mjs', 'protocols/dist/index.js', 'dashboards/index.js']) expect(existsSync(join(app, file)), file).toBe(true);
    for (const dir of ['hub/src', 'protocols/src/index.ts', 'agent', 'dashboards/grafana']) expect(existsSync(join(app, dir)), dir).toBe(false);
  });

  it('starts ledwatch-hub run from it with plain node, passes its health check and stops on SIGTERM', async () => {
    const http = await freePort();
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LEDWATCH_DATA_DIR: join(work.dir, 'data'),
      LEDWATCH_HTTP_HOST: '127.0.0.1',
      LEDWATCH_HTTP_PORT: String(http),
      LEDWATCH_MQTT_HOST: '127.0.0.1',
      LEDWATCH_MQTT_PORT: String(await freePort()),
      LEDWATCH_LOG_LEVEL: 'info',
    };
    const child = spawn(process.execPath, [join(app, 'hub/bin/ledwatch-hub.js'), 'run'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    hub = child;
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const healthy = waitFor('the hub health check', () => {
      const r = spawnSync(process.execPath, [join(app, 'hub/deploy/healthcheck.mjs')], { env: { PATH: env.PATH, LEDWATCH_HTTP_PORT: String(http) } });
      return r.status === 0 ? true : undefined;
    }, 30_000, 250);
    const died = exited.then((code) => {
      throw new Error(`the hub exited with ${code} before it was healthy: ${output}`);
    });
    died.catch(() => undefined); // it also ends, later, on SIGTERM
    await Promise.race([healthy, died]);
    // The version the hub reports comes from the copied hub/package.json.
    const health = (await (await fetch(`http://127.0.0.1:${http}/api/health`)).json()) as { status: string; version: string };
    expect(health).toMatchObject({ status: 'ok', version: (JSON.parse(readFileSync(join(app, 'hub/package.json'), 'utf8')) as { version: string }).version });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('hub stopped');
    hub = undefined;
  });
});
