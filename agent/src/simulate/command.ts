/**
 * `ledwatch-agent simulate --config site.yaml [--devices-out devices.yaml]`: runs a
 * simulated site on loopback until SIGTERM/SIGINT and prints the agent device list that
 * reads it (YAML, on stdout or into a file), so `ledwatch-agent run` can poll it.
 */
import { writeFileSync } from 'node:fs';
import { ConfigError } from '@ledwatch/protocols';
import { stringify } from 'yaml';
import { createLogger, type LogLevel } from '../log.js';
import { rotateFaults } from './rotation.js';
import { loadSiteConfig } from './site-config.js';
import { startSite } from './site.js';

export interface SimulateIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function simulateCommand(opts: { config: string; devicesOut?: string | undefined; level: LogLevel }, io: SimulateIo): Promise<number> {
  let config;
  try {
    config = loadSiteConfig(opts.config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(`ledwatch-agent: ${err.message}\n`);
    return 2;
  }
  const log = createLogger({ level: opts.level });
  const site = await startSite(config, log.child({ module: 'site' }));
  const yaml = stringify({ devices: site.devices });
  if (opts.devicesOut !== undefined) writeFileSync(opts.devicesOut, yaml);
  else io.out(yaml);
  const rotation = config.faults.rotate ? rotateFaults(site, config) : undefined;
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      rotation?.stop();
      site.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
