/** Builds a HubContext from its parts (used by startHub and the test context). */
import type { Logger } from 'pino';
import type { AlarmOptions } from './alarms/lifecycle.js';
import { AlarmService } from './alarms/service.js';
import type { HubConfig } from './config.js';
import { HubBus, type HubContext } from './context.js';
import type { StateDb } from './db/index.js';
import { LatestWriter } from './ingest/latest.js';
import { createMetrics } from './metrics.js';
import { CommandService } from './commands/service.js';
import { createNotifyService } from './notify/index.js';
import { tapTelemetry } from './live/tap.js';
import { createTelemetryStore } from './telemetry/index.js';
import { TicketService, type TicketOptions } from './tickets/service.js';

export function createHubContext(parts: { config: HubConfig; log: Logger; state: StateDb; now?: () => number; alarms?: Partial<AlarmOptions>; tickets?: Partial<TicketOptions> }): HubContext {
  const now = parts.now ?? Date.now;
  const bus = new HubBus();
  const commands = new CommandService(parts.state, bus, parts.log.child({ module: 'commands' }), now);
  const metrics = createMetrics();
  const telemetry = tapTelemetry(bus, createTelemetryStore({ config: parts.config, log: parts.log.child({ module: 'telemetry' }), state: parts.state, metrics, now }));
  const alarms = new AlarmService({ state: parts.state, bus, log: parts.log.child({ module: 'alarms' }), metrics, now, ...(parts.alarms ? { options: parts.alarms } : {}) });
  const notify = createNotifyService({ config: parts.config, log: parts.log, state: parts.state, metrics, bus, telemetry, now });
  const tickets = new TicketService({ state: parts.state, bus, log: parts.log.child({ module: 'tickets' }), now, notify, config: parts.config.tickets, ...(parts.tickets ? { options: parts.tickets } : {}) });
  const latest = new LatestWriter(parts.state.sqlite, parts.config.ingest.latestFlushMs, now, parts.log.child({ module: 'ingest' }));
  return { config: parts.config, log: parts.log, state: parts.state, metrics, bus, commands, telemetry, latest, notify, alarms, tickets, now };
}
