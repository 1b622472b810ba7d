/**
 * The agent of this repository packed as a release artifact by agent/deploy/pack.mjs
 * (package.json with the version given, bin/, dist/ and @ledwatch/protocols in a gzip
 * tarball with no leading folder), optionally with an injected fault. Third-party dependencies are not packed: installed versions resolve them
 * from `<install root>/node_modules` (a link to the repository's in tests; see
 * agent/deploy/README.md). An install root with a first version is made by
 * {@link installRoot}.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageAgent as stageRelease, tarStaged } from '../../agent/deploy/pack.mjs';
import { REPO_ROOT } from './processes.js';

/** Builds the workspaces (tsc -b, incremental) so agent/dist and protocols/dist are current. */
export function buildAgent(): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc -b failed: ${r.stdout}${r.stderr}`);
}

export interface PackFaults {
  /** The build exits with code 3 before doing anything. */
  crashAtStart?: boolean;
  /** The build starts but never connects to the hub (it just waits). */
  hangAtStart?: boolean;
}

/** The release as agent/deploy/pack.mjs stages it, plus the faults a test asks for. */
export function stageAgent(dir: string, version: string, opts: PackFaults = {}): void {
  stageRelease(dir, version);
  if (opts.crashAtStart) inject(join(dir, 'dist/cli.js'), "process.stderr.write('injected start-up crash\\n');\nprocess.exit(3);");
  if (opts.hangAtStart) inject(join(dir, 'dist/cli.js'), "process.stderr.write('injected hang: never connects\\n');\nprocess.on('SIGTERM', () => process.exit(0));\nsetInterval(() => undefined, 1000);\nawait new Promise(() => undefined);");
}

/** The injected fault runs first in the CLI module (after its #! line). */
function inject(file: string, code: string): void {
  const text = readFileSync(file, 'utf8');
  const shebang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  writeFileSync(file, `${shebang}${code}\n${text.slice(shebang.length)}`);
}

/** Packs the built agent at `version` into a tarball; gives its path. */
export function packAgent(workDir: string, version: string, opts: PackFaults = {}): string {
  const stage = join(workDir, `stage-${version}`);
  stageAgent(stage, version, opts);
  const out = join(workDir, `ledwatch-agent-${version}.tgz`);
  tarStaged(stage, out);
  return out;
}

/** An install root with `version` installed and current, resolving dependencies from the repository. */
export function installRoot(root: string, version: string): void {
  stageAgent(join(root, 'versions', version), version);
  symlinkSync(join('versions', version), join(root, 'current'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'));
}
