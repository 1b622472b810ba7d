/**
 * Payload schemas of the ledwatch MQTT contract v1 (TypeBox, so the static types and the
 * JSON schemas cannot drift). All times are integer milliseconds since the Unix epoch
 * (UTC). A reading's `at` is when it was measured on site, never when it was sent.
 */
import { Type, type Static } from 'typebox';
import { ID_PATTERN } from './topics.js';

const EpochMs = (description: string) =>
  Type.Integer({ minimum: 946684800000, maximum: 32503680000000, description }); // 2000-01-01 .. 3000-01-01
const Id = (description: string) => Type.String({ pattern: ID_PATTERN, description });
/** Device ids are hierarchical: `ctrl-1`, `ctrl-1/p0/c3`. */
const DeviceId = Type.String({ pattern: '^[A-Za-z0-9_.:-]+(/[A-Za-z0-9_.:-]+)*$', maxLength: 200 });
const Text = (maxLength: number, description?: string) =>
  Type.String(description === undefined ? { maxLength } : { maxLength, description });

export const Severity = Type.Union([Type.Literal('info'), Type.Literal('risk'), Type.Literal('fault'), Type.Literal('critical')]);
export type Severity = Static<typeof Severity>;

export const DeviceState = Type.Union(
  [
    Type.Literal('ok'),
    Type.Literal('warn'),
    Type.Literal('fault'),
    Type.Literal('missing'),
    Type.Literal('unreachable'),
    Type.Literal('held'),
    Type.Literal('unknown'),
  ],
  { description: 'held = controller held by another client (e.g. NovaLCT)' },
);
export type DeviceState = Static<typeof DeviceState>;

// ---------------------------------------------------------------- status (birth / death)
export const StatusPayload = Type.Object(
  {
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    version: Text(64, 'agent software version'),
    sessionId: Id('random id of this MQTT session; changes on every connect'),
    startedAt: EpochMs('when the agent process started'),
    at: EpochMs('when this status was produced (for the Last Will: when the session began)'),
    reason: Type.Optional(Type.Union([Type.Literal('shutdown'), Type.Literal('lost')])),
    hostname: Type.Optional(Text(255)),
    platform: Type.Optional(Text(64)),
    keepaliveS: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    configVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'remote configuration version in force (0 = the local file)' })),
  },
  { additionalProperties: false },
);
export type StatusPayload = Static<typeof StatusPayload>;

// ---------------------------------------------------------------- inventory
export const InventoryDevice = Type.Object(
  {
    id: DeviceId,
    kind: Text(64, 'driver kind, e.g. host, novastar, modbus, snmp'),
    name: Type.Optional(Text(200)),
    parent: Type.Optional(DeviceId),
    model: Type.Optional(Text(128)),
    firmware: Type.Optional(Text(128)),
    serial: Type.Optional(Text(128)),
    capabilities: Type.Array(Text(64), { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type InventoryDevice = Static<typeof InventoryDevice>;

export const InventoryPayload = Type.Object(
  {
    sessionId: Id('session the inventory belongs to'),
    at: EpochMs('when the inventory was taken'),
    devices: Type.Array(InventoryDevice, { maxItems: 5000 }),
  },
  { additionalProperties: false },
);
export type InventoryPayload = Static<typeof InventoryPayload>;

// ---------------------------------------------------------------- telemetry
export const MetricValue = Type.Union([Type.Number(), Type.Boolean(), Text(256)]);
export type MetricValue = Static<typeof MetricValue>;

export const Reading = Type.Object(
  {
    device: DeviceId,
    component: Type.Optional(Text(128, 'part of the device, e.g. a mount point or a fan')),
    at: EpochMs('measurement time on the site clock'),
    metrics: Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$' }), MetricValue, {
      additionalProperties: false,
      maxProperties: 256,
      description: 'metric name → value; names start with a letter, then letters, digits, _ and .',
    }),
    state: Type.Optional(DeviceState),
  },
  { additionalProperties: false },
);
export type Reading = Static<typeof Reading>;

export const TelemetryPayload = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, description: 'per-agent sequence; rises across restarts' }),
    prev: Type.Optional(Type.Integer({ minimum: 0, description: "seq of the batch before this one in the agent's outbox when sent; absent when it was the oldest there (the hub acks a seq only when the chain down to it is stored)" })),
    sessionId: Type.Optional(Id('session that sent it')),
    sentAt: Type.Optional(EpochMs('agent clock when sent, for skew detection')),
    readings: Type.Array(Reading, { minItems: 1, maxItems: 10000 }),
  },
  { additionalProperties: false },
);
export type TelemetryPayload = Static<typeof TelemetryPayload>;

// ---------------------------------------------------------------- events
export const AgentEvent = Type.Object(
  {
    type: Text(64, 'e.g. card-missing, smoke, outbox-overflow'),
    action: Type.Union([Type.Literal('raised'), Type.Literal('cleared'), Type.Literal('info')]),
    at: EpochMs('when it happened on site'),
    device: Type.Optional(DeviceId),
    component: Type.Optional(Text(128)),
    severity: Type.Optional(Severity),
    message: Type.Optional(Text(1000)),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type AgentEvent = Static<typeof AgentEvent>;

export const EventsPayload = Type.Object(
  {
    seq: Type.Integer({ minimum: 0, description: 'same sequence as telemetry' }),
    prev: Type.Optional(Type.Integer({ minimum: 0, description: "seq of the batch before this one in the agent's outbox when sent; absent when it was the oldest there (the hub acks a seq only when the chain down to it is stored)" })),
    sessionId: Type.Optional(Id('session that sent it')),
    events: Type.Array(AgentEvent, { minItems: 1, maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type EventsPayload = Static<typeof EventsPayload>;

// ---------------------------------------------------------------- ack
export const AckPayload = Type.Object(
  { seq: Type.Integer({ minimum: 0, description: 'highest seq stored by the hub with every batch before it in the agent outbox (see prev); the agent trims up to it' }) },
  { additionalProperties: false },
);
export type AckPayload = Static<typeof AckPayload>;

// ---------------------------------------------------------------- cmd
export const CommandType = Type.Union([
  Type.Literal('rebirth'),
  Type.Literal('ping'),
  Type.Literal('config'),
  Type.Literal('inspect'),
  Type.Literal('upgrade'),
]);
export type CommandType = Static<typeof CommandType>;

export const CmdPayload = Type.Object(
  {
    id: Id('command id; also the last topic level'),
    type: CommandType,
    issuedAt: EpochMs('hub clock when issued'),
    expiresAt: Type.Optional(EpochMs('the agent ignores the command after this time')),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type CmdPayload = Static<typeof CmdPayload>;

// ---------------------------------------------------------------- cmd-result
export const CommandState = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('rejected'),
]);
export type CommandState = Static<typeof CommandState>;

export const CmdResultPayload = Type.Object(
  {
    id: Id('command id'),
    type: CommandType,
    state: CommandState,
    at: EpochMs('agent clock'),
    stage: Type.Optional(Text(64, 'sub-step, e.g. downloading, verifying')),
    progress: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    message: Type.Optional(Text(2000)),
    error: Type.Optional(Type.Object({ code: Text(64), message: Text(2000) }, { additionalProperties: false })),
    result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type CmdResultPayload = Static<typeof CmdResultPayload>;

/** The one topic-kind → payload-schema map both sides use. */
export const PAYLOAD_SCHEMAS = {
  status: StatusPayload,
  inventory: InventoryPayload,
  telemetry: TelemetryPayload,
  events: EventsPayload,
  ack: AckPayload,
  cmd: CmdPayload,
  'cmd-result': CmdResultPayload,
} as const;

export interface PayloadMap {
  status: StatusPayload;
  inventory: InventoryPayload;
  telemetry: TelemetryPayload;
  events: EventsPayload;
  ack: AckPayload;
  cmd: CmdPayload;
  'cmd-result': CmdResultPayload;
}
