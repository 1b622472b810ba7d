/**
 * What the rest of the hub sees of tickets: states, the API view of a ticket and of its
 * events, and the inputs of the service's write operations.
 */
import { Type, type Static, type TSchema } from 'typebox';
import type { Severity } from '../alarms/types.js';
import type { TicketEventKind, TicketState } from '../db/index.js';

export type { TicketEventKind, TicketState } from '../db/index.js';

export const TICKET_STATES = ['new', 'assigned', 'scheduled', 'on-site', 'resolved', 'confirmed', 'closed', 'follow-up'] as const satisfies readonly TicketState[];
/** States in which a ticket still needs work (alarms link to it; one per device and fault type). */
export const OPEN_STATES = ['new', 'assigned', 'scheduled', 'on-site'] as const satisfies readonly TicketState[];

export function isOpen(state: TicketState): boolean {
  return (OPEN_STATES as readonly TicketState[]).includes(state);
}

const Ms = Type.Integer({ description: 'ms since the Unix epoch' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const TicketStateSchema = Type.Enum([...TICKET_STATES]);
export const SeveritySchema = Type.Enum(['info', 'risk', 'fault', 'critical']);

export const TicketViewSchema = Type.Object({
  id: Type.Integer(),
  number: Type.String({ description: "e.g. 'T-000123'" }),
  customerId: Type.String(),
  siteId: Type.String(),
  agentId: Nullable(Type.String()),
  deviceId: Nullable(Type.String({ description: "device id as the agent names it, '' for the agent itself" })),
  devicePk: Nullable(Type.Integer({ description: 'the device as /api/devices/{id} knows it' })),
  component: Nullable(Type.String()),
  faultType: Type.String(),
  title: Type.String(),
  description: Type.String(),
  severity: SeveritySchema,
  source: Type.Enum(['alarm', 'manual']),
  channel: Nullable(Type.Enum(['phone', 'web'])),
  state: TicketStateSchema,
  assigneeUserId: Nullable(Type.String()),
  appointmentAt: Nullable(Ms),
  respondedAt: Nullable(Ms),
  onSiteAt: Nullable(Ms),
  resolvedAt: Nullable(Ms),
  confirmedAt: Nullable(Ms),
  closedAt: Nullable(Ms),
  faultClearedAt: Nullable(Ms),
  faultCleared: Type.Boolean({ description: 'every linked alarm has cleared' }),
  cause: Nullable(Type.String()),
  treatment: Nullable(Type.String()),
  parts: Nullable(Type.String()),
  problemType: Nullable(Type.String()),
  location: Nullable(Type.String({ description: 'site › controller › port › card' })),
  solution: Nullable(Type.String()),
  warranty: Type.Enum(['in', 'out', 'unknown'], { description: "from the device's warranty end at open time" }),
  warrantyEnd: Nullable(Ms),
  recurring: Type.Boolean(),
  recurringCount: Nullable(Type.Integer()),
  escalated: Type.Boolean(),
  slaPolicyId: Nullable(Type.String()),
  respondBy: Nullable(Ms),
  onSiteBy: Nullable(Ms),
  resolveBy: Nullable(Ms),
  slaEmitted: Type.Array(Type.String(), { description: "SLA events already emitted, e.g. 'respond:sla-warning'" }),
  createdBy: Nullable(Type.String()),
  createdAt: Ms,
  updatedAt: Ms,
});
export type TicketView = Static<typeof TicketViewSchema>;

export const TicketEventSchema = Type.Object({
  id: Type.Integer(),
  at: Ms,
  actorUserId: Nullable(Type.String({ description: 'null for the hub itself' })),
  kind: Type.String(),
  fromState: Nullable(Type.String()),
  toState: Nullable(Type.String()),
  body: Type.Unknown(),
});
export type TicketEventView = Static<typeof TicketEventSchema>;

/** Who acts: a user (with the audit actor) or the hub itself (null user). */
export interface TicketActor {
  userId: string | null;
  tokenId: string | null;
  ip: string | null;
}

export const SYSTEM_ACTOR: TicketActor = { userId: null, tokenId: null, ip: null };

export interface ManualTicketInput {
  siteId: string;
  title: string;
  description: string;
  severity: Severity;
  channel: 'phone' | 'web';
  devicePk?: number | undefined;
  faultType?: string | undefined;
  problemType?: string | undefined;
}

export interface TransitionInput {
  to: TicketState;
  note?: string | undefined;
  appointmentAt?: number | undefined;
  cause?: string | undefined;
  treatment?: string | undefined;
  parts?: string | undefined;
  solution?: string | undefined;
  problemType?: string | undefined;
  assigneeUserId?: string | undefined;
}

export interface NewTicketEvent {
  kind: TicketEventKind;
  from?: TicketState | null;
  to?: TicketState | null;
  body?: Record<string, unknown>;
}
