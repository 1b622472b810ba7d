/**
 * Golden payload samples of the contract: for every topic kind, payloads that must be
 * accepted and payloads that must be refused. The agent's and the hub's tests use them.
 */
import type { TopicKind } from './topics.js';
import statusValid from './samples/status.valid.json' with { type: 'json' };
import statusInvalid from './samples/status.invalid.json' with { type: 'json' };
import inventoryValid from './samples/inventory.valid.json' with { type: 'json' };
import inventoryInvalid from './samples/inventory.invalid.json' with { type: 'json' };
import telemetryValid from './samples/telemetry.valid.json' with { type: 'json' };
import telemetryInvalid from './samples/telemetry.invalid.json' with { type: 'json' };
import eventsValid from './samples/events.valid.json' with { type: 'json' };
import eventsInvalid from './samples/events.invalid.json' with { type: 'json' };
import ackValid from './samples/ack.valid.json' with { type: 'json' };
import ackInvalid from './samples/ack.invalid.json' with { type: 'json' };
import cmdValid from './samples/cmd.valid.json' with { type: 'json' };
import cmdInvalid from './samples/cmd.invalid.json' with { type: 'json' };
import cmdResultValid from './samples/cmd-result.valid.json' with { type: 'json' };
import cmdResultInvalid from './samples/cmd-result.invalid.json' with { type: 'json' };

export interface InvalidSample {
  why: string;
  payload: unknown;
}

export const CONTRACT_SAMPLES: Record<TopicKind, { valid: unknown[]; invalid: InvalidSample[] }> = {
  status: { valid: statusValid, invalid: statusInvalid },
  inventory: { valid: inventoryValid, invalid: inventoryInvalid },
  telemetry: { valid: telemetryValid, invalid: telemetryInvalid },
  events: { valid: eventsValid, invalid: eventsInvalid },
  ack: { valid: ackValid, invalid: ackInvalid },
  cmd: { valid: cmdValid, invalid: cmdInvalid },
  'cmd-result': { valid: cmdResultValid, invalid: cmdResultInvalid },
};
