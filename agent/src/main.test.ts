import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './main.js';
import { tempDir } from './test-utils/fixtures.js';
import { AGENT_VERSION } from './version.js';

function io(env: Record<string, string> = {}): CliIo & { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '', env, out: (t: string) => void (out.stdout += t), err: (t: string) => void (out.stderr += t) };
  return out;
}

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('the ledwatch-agent command line', () => {
  it('prints its usage for --help and exits 0', async () => {
    const t = io();
    expect(await runCli(['--help'], t)).toBe(0);
    expect(t.stdout).toMatch(/Usage: ledwatch-agent run --config <file>/);
    expect(t.stdout).toMatch(/--log-level/);
  });

  it('prints the package version for --version', async () => {
    const t = io();
    expect(await runCli(['-v'], t)).toBe(0);
    expect(t.stdout).toBe(`${AGENT_VERSION}\n`);
    expect(AGENT_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with the usage on a missing command, an unknown option or a missing --config', async () => {
    for (const argv of [[], ['--colour'], ['run'], ['start', '--config', 'x.yaml']]) {
      const t = io();
      expect(await runCli(argv, t)).toBe(2);
      expect(t.stderr).toMatch(/Usage:/);
    }
  });

  it('refuses an unknown log level', async () => {
    const t = io();
    expect(await runCli(['run', '--config', 'agent.yaml', '--log-level', 'loud'], t)).toBe(2);
    expect(t.stderr).toMatch(/--log-level must be one of fatal, error/);
  });

  it('exits 1 when the agent cannot start, naming the reason in the log', async () => {
    const file = join(dir.path, 'agent.yaml');
    await writeFile(file, `agentId: a\nsecret: s\nhub:\n  url: mqtt://127.0.0.1:1\ndataDir: ${file}/data\n`);
    expect(await runCli(['run', '--config', file, '--log-level', 'silent'], io())).toBe(1);
  });

  it('lists every config problem and exits 2 without starting', async () => {
    const file = join(dir.path, 'agent.yaml');
    await writeFile(file, 'secret: hunter2\nhub:\n  url: ftp://hub\ndevices:\n  - id: ups\n    kind: ups-snmp\n');
    const t = io();
    expect(await runCli(['run', '--config', file], t)).toBe(2);
    expect(t.stderr).toMatch(/agentId: is required/);
    expect(t.stderr).toMatch(/hub\.url:/);
    expect(t.stderr).toMatch(/devices\.0\.kind: unknown driver kind "ups-snmp"/);
    expect(t.stderr).not.toMatch(/hunter2/);
  });
});
