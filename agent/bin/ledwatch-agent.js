#!/usr/bin/env node
// Launcher of the ledwatch agent. Runs the compiled CLI (agent/dist/cli.js) when it has been
// built, unless LEDWATCH_FROM_SOURCE=1; otherwise runs the TypeScript sources through tsx in
// a child process (with the `source` export condition, so workspace packages resolve to
// their src/ too), forwarding SIGINT/SIGTERM and exiting with the child's code.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

if (existsSync(dist) && process.env.LEDWATCH_FROM_SOURCE !== '1') {
  await import(pathToFileURL(dist).href);
} else {
  const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
  // Resolve tsx from here, so the launcher works whatever the working directory.
  const tsx = import.meta.resolve('tsx');
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, source, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    process.stderr.write(`ledwatch-agent: cannot start ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    if (signal !== null) {
      // Die the way the child died, so a supervisor sees the same outcome.
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}
