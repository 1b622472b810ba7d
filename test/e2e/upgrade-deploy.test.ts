/**
 * The agent's deployment files: the systemd unit passes `systemd-analyze verify`, and
 * install.sh lays out a packed release as the supervisor expects (versions side by side,
 * `current` link) and the installed version runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, packAgent } from '../support/agent-pack.js';
import { REPO_ROOT } from '../support/processes.js';
import { serviceAvailable, tempDir } from '../support/services.js';

const DEPLOY = join(REPO_ROOT, 'agent', 'deploy');

describe('agent deployment files', () => {
  const work = tempDir('e2e-deploy');
  beforeAll(() => buildAgent(), 120_000);
  afterAll(() => work.cleanup());

  it.skipIf(!serviceAvailable('systemd-analyze', 'systemd'))('the systemd unit passes systemd-analyze verify', () => {
    let unit = join(DEPLOY, 'ledwatch-agent.service');
    if (!existsSync('/usr/bin/node')) {
      // verify checks that ExecStart's program exists; point it at this machine's node.
      const copy = join(work.dir, 'ledwatch-agent.service');
      writeFileSync(copy, readFileSync(unit, 'utf8').replace('/usr/bin/node', process.execPath));
      unit = copy;
    }
    const r = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    expect(r.stderr.trim()).toBe('');
    expect(r.status).toBe(0);
  });

  it('install.sh unpacks a release side by side and points current at it', () => {
    const root = join(work.dir, 'root');
    mkdirSync(root, { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
    for (const v of ['0.5.0', '0.6.0']) {
      const tgz = packAgent(work.dir, v);
      const r = spawnSync('bash', [join(DEPLOY, 'install.sh'), tgz, '--root', root, '--skip-deps', '--no-systemd', '--no-user'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(readlinkSync(join(root, 'current'))).toBe(`versions/${v}`);
    }
    expect(existsSync(join(root, 'versions', '0.5.0', 'bin', 'ledwatch-agent.js'))).toBe(true);
    const run = spawnSync(process.execPath, [join(root, 'current', 'bin', 'ledwatch-agent.js'), '--version'], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe('0.6.0');
    const bad = spawnSync('bash', [join(DEPLOY, 'install.sh'), join(work.dir, 'missing.tgz'), '--root', root], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
