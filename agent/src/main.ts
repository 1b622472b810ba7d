/**
 * The command line: `ledwatch-agent run --config agent.yaml`, `--help`, `--version`.
 * Logs are pino JSON on stderr; a bad config prints every problem and exits 2; SIGTERM or
 * SIGINT stops the agent cleanly and exits 0.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@ledwatch/protocols';
import { Agent } from './agent.js';
import { simulateCommand } from './simulate/command.js';
import { decodeCommand } from './tools/decode.js';
import { formatFindings, scan } from './tools/scan.js';
import { loadAgentConfig } from './config.js';
import { errorMessage } from './errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from './log.js';
import { AGENT_VERSION } from './version.js';
import { readFileSync } from 'node:fs';
import { ROOT_ENV, writeHealth } from './updater/layout.js';
import { TrustStore } from './updater/trust.js';
import { Updater } from './updater/updater.js';
import { RESTART_EXIT_CODE, supervise } from './supervise.js';

export const USAGE = `Usage: ledwatch-agent run --config <file> [--log-level <level>]
       ledwatch-agent supervise --config <file> [--root <install root>]
       ledwatch-agent decode novastar <hex>
       ledwatch-agent simulate --config <site.yaml> [--devices-out <file>]
       ledwatch-agent scan [--serial <path>]… [--host <address>]… [--timeout <ms>] [--json]
       ledwatch-agent --help | --version

Reads the health of the site's devices and publishes it to the ledwatch hub over MQTT.

Commands:
  run                      start the agent; SIGTERM or SIGINT stops it cleanly
  supervise                run <root>/current (default /opt/ledwatch-agent, or
                           LEDWATCH_AGENT_ROOT) and restart it; after an upgrade, watch
                           the new version's health window and roll back on failure
  decode novastar <hex>    print one NovaStar frame as JSON (field tool)
  scan                     probe the serial ports and hosts given (never others) for
                           NovaStar, Modbus and SNMP equipment, and print what answered
  simulate                 run a simulated site (NovaStar, Modbus, SNMP UPS) on loopback
                           and print the agent devices that read it

Options:
  -c, --config <file>      agent configuration (YAML); any key can be overridden by an
                           environment variable LEDWATCH_AGENT_<KEY>, e.g.
                           LEDWATCH_AGENT_HUB_URL for hub.url
  -l, --log-level <level>  ${LOG_LEVELS.join(', ')} (default info)
  -h, --help               show this help
  -v, --version            print the version
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
};

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        'devices-out': { type: 'string' },
        serial: { type: 'string', multiple: true },
        host: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        root: { type: 'string' },
        'log-level': { type: 'string', short: 'l' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    io.err(`ledwatch-agent: ${errorMessage(err)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.version) {
    io.out(`${AGENT_VERSION}\n`);
    return 0;
  }
  const [command, ...extra] = positionals;
  const level = values['log-level'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    io.err(`ledwatch-agent: --log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")\n`);
    return 2;
  }
  if (command === 'decode') {
    const outcome = decodeCommand(extra);
    if (outcome.stdout !== undefined) io.out(outcome.stdout);
    if (outcome.stderr !== undefined) io.err(outcome.stderr);
    return outcome.code;
  }
  if (command === 'scan' && extra.length === 0) {
    const serial = values.serial ?? [];
    const hosts = values.host ?? [];
    const timeoutMs = Number(values.timeout ?? 1500);
    if (serial.length + hosts.length === 0 || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      io.err(`ledwatch-agent: scan needs at least one --serial <path> or --host <address> (and --timeout in ms > 0)\n\n${USAGE}`);
      return 2;
    }
    const findings = await scan({ serial, hosts, timeoutMs }, createLogger({ level: level as LogLevel }));
    io.out(values.json ? `${JSON.stringify(findings, null, 2)}\n` : formatFindings(findings));
    return 0;
  }
  if (command === 'simulate' && extra.length === 0) {
    if (values.config === undefined) {
      io.err(`ledwatch-agent: simulate needs --config <site.yaml>\n\n${USAGE}`);
      return 2;
    }
    return simulateCommand({ config: values.config, devicesOut: values['devices-out'], level: level as LogLevel }, io);
  }
  if (command === 'supervise' && extra.length === 0) {
    if (values.config === undefined) {
      io.err(`ledwatch-agent: supervise needs --config <file>\n\n${USAGE}`);
      return 2;
    }
    let config;
    try {
      config = loadAgentConfig(values.config, io.env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      io.err(`ledwatch-agent: ${err.message}\n`);
      return 2;
    }
    const root = values.root ?? io.env[ROOT_ENV] ?? '/opt/ledwatch-agent';
    const log = createLogger({ level: level as LogLevel }).child({ module: 'supervisor' });
    return supervise({ configFile: values.config, config, root, logLevel: level, log, env: io.env });
  }
  if (command !== 'run' || extra.length > 0) {
    io.err(`ledwatch-agent: ${command === undefined ? 'no command given' : `unknown command "${[command, ...extra].join(' ')}"`}\n\n${USAGE}`);
    return 2;
  }
  if (values.config === undefined) {
    io.err(`ledwatch-agent: run needs --config <file>\n\n${USAGE}`);
    return 2;
  }
  return run(values.config, level as LogLevel, io);
}

async function run(configFile: string, level: LogLevel, io: CliIo): Promise<number> {
  let config;
  try {
    config = loadAgentConfig(configFile, io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`ledwatch-agent: ${err.message}\n`);
    return 2;
  }
  const log = createLogger({ level });
  log.debug({ config, file: configFile }, 'configuration loaded'); // the secret is redacted
  const root = io.env[ROOT_ENV];
  let restart: (() => void) | undefined;
  const updater = new Updater({
    creds: { agentId: config.agentId, secret: config.secret, ca: config.hub.ca === undefined ? undefined : readFileSync(config.hub.ca), rejectUnauthorized: config.hub.rejectUnauthorized },
    dataDir: config.dataDir,
    root,
    version: AGENT_VERSION,
    trust: await TrustStore.open(config.dataDir, config.updates.publicKeys, log.child({ module: 'updater' })),
    log: log.child({ module: 'updater' }),
    requestRestart: () => restart?.(),
  });
  const agent = new Agent({ config, log, upgrade: (cmd) => updater.handle(cmd) });
  try {
    await agent.start();
  } catch (err) {
    log.fatal({ err: errorMessage(err), code: (err as { code?: unknown }).code }, 'agent could not start');
    return 1;
  }
  if (root !== undefined) {
    // The supervisor's health signal: this version came up and reached the hub.
    agent.link?.on('connected', () => {
      writeHealth(root, { version: AGENT_VERSION, pid: process.pid, connectedAt: Date.now() }).catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'could not write the health mark'));
    });
  }
  return new Promise<number>((resolve) => {
    restart = () => {
      log.info('stopping for the supervisor to start the new version');
      agent.stop().then(
        () => resolve(RESTART_EXIT_CODE),
        () => resolve(RESTART_EXIT_CODE),
      );
    };
    let firstSignalAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (firstSignalAt !== undefined) {
        // The launcher forwards the terminal's Ctrl-C: a repeat within moments is the same request.
        if (Date.now() - firstSignalAt < 500) return;
        log.warn({ signal }, 'second signal; exiting without finishing the shutdown');
        resolve(130);
        return;
      }
      firstSignalAt = Date.now();
      log.info({ signal }, 'stopping');
      const deadline = setTimeout(() => {
        log.error('shutdown took longer than 20 s; exiting');
        resolve(1);
      }, 20_000);
      agent.stop().then(
        () => resolve(0),
        (err: unknown) => {
          log.error({ err: errorMessage(err) }, 'shutdown failed');
          resolve(1);
        },
      ).finally(() => clearTimeout(deadline));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
