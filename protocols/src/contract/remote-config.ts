/**
 * The remotely managed part of an agent's configuration: its devices (drivers, poll
 * intervals, options). Connection settings (agent id, secret, hub URL) stay local to the
 * site: a pushed config can never cut an agent off from its hub. Carried by a `config`
 * command as `params: { version, config }`; the agent checks each driver's options itself
 * and answers `rejected` with every problem, keeping the old config.
 */
import { Type, type Static } from 'typebox';

export const RemoteDevice = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', description: 'unique id of the device on this site' }),
    kind: Type.String({ minLength: 1, maxLength: 64, description: 'driver kind, e.g. host, novastar, modbus, snmp, netcheck' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    pollIntervalS: Type.Optional(Type.Number({ minimum: 1, description: 'seconds between polls' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'driver options, checked by the agent' })),
  },
  { additionalProperties: false },
);
export type RemoteDevice = Static<typeof RemoteDevice>;

export const RemoteAgentConfig = Type.Object(
  { devices: Type.Array(RemoteDevice, { maxItems: 500 }) },
  { additionalProperties: false },
);
export type RemoteAgentConfig = Static<typeof RemoteAgentConfig>;

export const ConfigCommandParams = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'rises with every config pushed to this agent' }),
    config: RemoteAgentConfig,
  },
  { additionalProperties: false },
);
export type ConfigCommandParams = Static<typeof ConfigCommandParams>;
