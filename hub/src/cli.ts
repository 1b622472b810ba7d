/**
 * `ledwatch-hub` command line: run, create-admin, backup. Logs go to stderr as JSON;
 * command output (tokens, paths) goes to stdout.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, ReleaseError } from '@ledwatch/protocols';
import { createAdmin } from './auth/admin.js';
import { backupStateDb } from './backup.js';
import { loadHubConfig } from './config.js';
import { openStateDb } from './db/index.js';
import { PortInUseError } from './broker/listeners.js';
import { startHub } from './hub.js';
import { HUB_VERSION } from './version.js';
import { keysGenerate, keysRotate, releaseSign, ReleaseCliError } from './releases/cli.js';

const HELP = `ledwatch-hub ${HUB_VERSION} — LED site monitoring hub

Usage:
  ledwatch-hub run [--config hub.yaml]           start the hub (HTTP API, dashboards, MQTT broker, ingest)
  ledwatch-hub create-admin --email <e> [--config hub.yaml] [--name <n>]
                                                 create (or reuse) an admin user and print a new API token
  ledwatch-hub backup --out <file> [--config hub.yaml]
                                                 consistent copy of the state database, safe while the hub runs
  ledwatch-hub keys generate --out <dir>         new Ed25519 release key pair (private key stays offline)
  ledwatch-hub keys rotate --key <old.pem> --out <dir> [--transition-days 30]
                                                 new key plus an announcement signed by the old one
  ledwatch-hub release sign --key <pem> --artifact <file> --out <signed.json>
               [--manifest <fields.json>] [--kind agent|site-package] [--name <n>] [--release-version <v>]
               [--allow-downgrade-from <v>]… [--health-window <s>]
                                                 sign a release manifest (offline; upload it with POST /api/releases)
  ledwatch-hub --help | --version

Configuration comes from the YAML file, then LEDWATCH_<KEY> environment variables
(e.g. LEDWATCH_HTTP_PORT, LEDWATCH_MQTT_PORT; PORT is an alias of http.port), then defaults.
See the README's configuration reference.
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      email: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      key: { type: 'string' },
      artifact: { type: 'string' },
      manifest: { type: 'string' },
      kind: { type: 'string' },
      'release-version': { type: 'string' },
      'allow-downgrade-from': { type: 'string', multiple: true },
      'health-window': { type: 'string' },
      'transition-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    process.stdout.write(`${HUB_VERSION}\n`);
    return 0;
  }
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return values.help || command === 'help' ? 0 : 2;
  }
  if (command === 'keys' || command === 'release') return releaseTool(positionals.slice(0, 2).join(' '), values);
  const config = loadHubConfig({ file: values.config });
  const dbPath = join(config.data.dir, 'ledwatch.db');
  switch (command) {
    case 'run':
      return run(config);
    case 'create-admin': {
      if (values.email === undefined) throw new UsageError('create-admin needs --email');
      const state = await openStateDb(dbPath);
      try {
        const { token } = await createAdmin(state, { email: values.email, ...(values.name ? { name: values.name } : {}) });
        process.stdout.write(`${token}\n`);
      } finally {
        await state.close();
      }
      return 0;
    }
    case 'backup': {
      if (values.out === undefined) throw new UsageError('backup needs --out <file>');
      const r = await backupStateDb(dbPath, values.out);
      process.stdout.write(`${r.destination} (${r.pages} pages)\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

class UsageError extends Error {}

async function releaseTool(command: string, v: Record<string, string | boolean | string[] | undefined>): Promise<number> {
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? v[k] : undefined);
  const need = (k: string): string => {
    const value = str(k);
    if (value === undefined) throw new UsageError(`${command} needs --${k}`);
    return value;
  };
  try {
    if (command === 'keys generate') process.stdout.write(await keysGenerate(need('out')));
    else if (command === 'keys rotate') process.stdout.write(await keysRotate(need('key'), need('out'), Number(str('transition-days') ?? 30)));
    else if (command === 'release sign') {
      const version = str('release-version');
      const signed = await releaseSign({
        key: need('key'),
        artifact: need('artifact'),
        out: need('out'),
        ...(str('manifest') !== undefined ? { manifest: str('manifest') as string } : {}),
        ...(str('kind') !== undefined ? { kind: str('kind') as string } : {}),
        ...(str('name') !== undefined ? { name: str('name') as string } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(Array.isArray(v['allow-downgrade-from']) ? { allowDowngradeFrom: v['allow-downgrade-from'] } : {}),
        ...(str('health-window') !== undefined ? { healthWindowS: Number(str('health-window')) } : {}),
      });
      process.stdout.write(`${signed.manifest.name} ${signed.manifest.version} sha256 ${signed.manifest.artifact.sha256} signed by ${signed.signatures[0]?.keyId ?? '?'}\n`);
    } else throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  } catch (err) {
    if (err instanceof ReleaseCliError || err instanceof ReleaseError) throw new UsageError(err.message);
    throw err;
  }
  return 0;
}

async function run(config: ReturnType<typeof loadHubConfig>): Promise<number> {
  const hub = await startHub(config);
  process.stderr.write(`ledwatch hub: ${hub.url}  mqtt: ${hub.mqttUrl}\n`);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      hub.ctx.log.info({ signal }, 'shutting down');
      hub.close().then(
        () => resolve(0),
        (err: unknown) => {
          hub.ctx.log.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export function reportError(err: unknown): number {
  if (err instanceof ConfigError || err instanceof PortInUseError || err instanceof UsageError) {
    process.stderr.write(`ledwatch-hub: ${err.message}\n`);
    if (err instanceof UsageError) process.stderr.write(`Run ledwatch-hub --help for usage.\n`);
    return 2;
  }
  process.stderr.write(`ledwatch-hub: ${(err as Error).stack ?? String(err)}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => process.exit(reportError(err)),
);
