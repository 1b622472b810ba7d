#!/usr/bin/env node
// Packs the built agent as a release artifact: package.json (with the release version),
// bin/, dist/ and node_modules/@ledwatch/protocols (the contract and release code travel
// with each version) in a gzip tarball with no leading folder. Third-party dependencies
// are not packed (see agent/deploy/README.md). Build first: npx tsc -b.
//   node agent/deploy/pack.mjs --release-version 0.2.0 --out ledwatch-agent-0.2.0.tgz
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const noBuildInfo = (src) => !src.endsWith('.tsbuildinfo');

/** Copies the built agent into `dir` with `version` in its package.json. */
export function stageAgent(dir, version) {
  const agent = join(REPO, 'agent');
  const protocols = join(REPO, 'protocols');
  if (!existsSync(join(agent, 'dist/cli.js')) || !existsSync(join(protocols, 'dist/index.js'))) throw new Error('agent/dist or protocols/dist is missing: run npx tsc -b first');
  mkdirSync(dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(agent, 'package.json'), 'utf8'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);
  cpSync(join(agent, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(agent, 'dist'), join(dir, 'dist'), { recursive: true, filter: noBuildInfo });
  const into = join(dir, 'node_modules', '@ledwatch', 'protocols');
  mkdirSync(into, { recursive: true });
  cpSync(join(protocols, 'package.json'), join(into, 'package.json'));
  cpSync(join(protocols, 'dist'), join(into, 'dist'), { recursive: true, filter: noBuildInfo });
  cpSync(join(protocols, 'src', 'contract', 'samples'), join(into, 'src', 'contract', 'samples'), { recursive: true });
}

/** Tars a staged folder into `out` (gzip, no leading folder). */
export function tarStaged(stage, out) {
  const r = spawnSync('tar', ['-czf', out, '-C', stage, '.'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'release-version': { type: 'string' }, out: { type: 'string' } } });
  if (values['release-version'] === undefined || values.out === undefined) {
    process.stderr.write('usage: node agent/deploy/pack.mjs --release-version <x.y.z> --out <file.tgz>\n');
    process.exit(2);
  }
  const stage = mkdtempSync(join(tmpdir(), 'ledwatch-pack-'));
  try {
    stageAgent(stage, values['release-version']);
    tarStaged(stage, resolve(values.out));
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  process.stdout.write(`${resolve(values.out)}\n`);
}
