#!/usr/bin/env node
// Launcher committed so `npx ledwatch-hub` works right after `npm install`: runs the built
// dist/cli.js when present, else the TypeScript sources through tsx (development).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (existsSync(dist) && process.env.LEDWATCH_FROM_SOURCE !== '1') {
  await import(dist);
} else {
  const src = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), src, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
