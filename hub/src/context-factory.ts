/** Builds a HubContext from its parts (used by startHub and the test context). */
import type { Logger } from 'pino';
import type { HubConfig } from './config.js';
import { HubBus, type HubContext } from './context.js';
import type { StateDb } from './db/index.js';
import { createMetrics } from './metrics.js';
import { CommandService } from './commands/service.js';
import { createTelemetryStore } from './telemetry/index.js';

export function createHubContext(parts: { config: HubConfig; log: Logger; state: StateDb; now?: () => number }): HubContext {
  const now = parts.now ?? Date.now;
  const bus = new HubBus();
  const commands = new CommandService(parts.state, bus, parts.log.child({ module: 'commands' }), now);
  const metrics = createMetrics();
  const telemetry = createTelemetryStore({ config: parts.config, log: parts.log.child({ module: 'telemetry' }), state: parts.state, metrics, now });
  return { config: parts.config, log: parts.log, state: parts.state, metrics, bus, commands, telemetry, now };
}
