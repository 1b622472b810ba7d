/** TypeBox schemas of the ticket API (routes/tickets.ts). */
import { Type } from 'typebox';
import { SeveritySchema, TicketEventSchema, TicketStateSchema, TicketViewSchema } from './types.js';

const Ms = Type.Integer({ description: 'ms since the Unix epoch' });
const Nullable = Type.Union;
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description !== undefined ? { description } : {}) });
const o = Type.Optional;

export const TicketParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const AttachmentParams = Type.Object({ id: Type.Integer({ minimum: 1 }), aid: Type.Integer({ minimum: 1 }) });
export const DeviceParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const TicketQuery = Type.Object(
  {
    state: o(Type.Union([TicketStateSchema, Type.Literal('open')], { description: "a state, or 'open' for new/assigned/scheduled/on-site" })),
    siteId: o(Text(128)),
    customerId: o(Text(128)),
    agentId: o(Text(128)),
    deviceId: o(Type.String({ maxLength: 256, description: 'device id as the agent names it' })),
    recurring: o(Type.Boolean()),
    q: o(Text(200, 'text in the number, title, description or fault type')),
    limit: o(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: o(Type.Integer({ minimum: 1, description: 'page cursor: tickets with a smaller id' })),
  },
  { additionalProperties: false },
);

export const ManualTicketBody = Type.Object(
  {
    siteId: Text(128),
    title: Text(200),
    description: Type.String({ maxLength: 10_000 }),
    severity: SeveritySchema,
    source: o(Type.Literal('manual')),
    channel: Type.Enum(['phone', 'web'], { description: 'how the request came in' }),
    deviceId: o(Type.Integer({ minimum: 1, description: 'the device as /api/devices/{id} knows it' })),
    faultType: o(Text(128, "default 'service-request'")),
    problemType: o(Text(128)),
  },
  { additionalProperties: false },
);

export const PatchTicketBody = Type.Object(
  { title: o(Text(200)), description: o(Type.String({ maxLength: 10_000 })), problemType: o(Text(128)), location: o(Text(500)), cause: o(Text(2000)), solution: o(Text(2000)) },
  { additionalProperties: false, minProperties: 1, description: 'the problem record' },
);

export const TransitionBody = Type.Object(
  {
    to: TicketStateSchema,
    note: o(Text(5000)),
    appointmentAt: o(Ms),
    cause: o(Text(2000)),
    treatment: o(Text(2000)),
    parts: o(Text(2000)),
    solution: o(Text(2000)),
    problemType: o(Text(128)),
    assigneeUserId: o(Text(128)),
  },
  { additionalProperties: false, description: 'scheduled needs appointmentAt; resolved needs cause and treatment; follow-up needs a note' },
);

export const AssignBody = Type.Object({ userId: Text(128) }, { additionalProperties: false });
export const CommentBody = Type.Object({ text: Text(10_000) }, { additionalProperties: false });
export const AttachmentBody = Type.Object(
  {
    name: Text(255),
    mime: Type.String({ minLength: 3, maxLength: 255, pattern: '^[\\w.+-]+/[\\w.+-]+$', description: 'e.g. image/jpeg' }),
    data: Type.String({ minLength: 1, description: 'the file, base64; at most 5 MB decoded' }),
  },
  { additionalProperties: false },
);

export const Attachment = Type.Object({ id: Type.Integer(), ticketId: Type.Integer(), name: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String(), createdAt: Ms, createdBy: Nullable([Type.String(), Type.Null()]) });

const Clock = Type.Object({ state: Type.String(), deadline: Ms, warnAt: Nullable([Ms, Type.Null()]), remainingMs: Type.Integer(), metAt: Nullable([Ms, Type.Null()]) });
export const TicketDetail = Type.Object({
  ...TicketViewSchema.properties,
  events: Type.Array(TicketEventSchema),
  alarms: Type.Array(Type.Object({ alarmId: Type.Integer(), raisedAt: Ms, clearedAt: Nullable([Ms, Type.Null()]) })),
  attachments: Type.Array(Attachment),
  sla: Nullable([Type.Object({ respond: Clock, onSite: Clock, resolve: Clock }), Type.Null()]),
});

export const SummaryQuery = Type.Object(
  {
    period: Type.Enum(['week', 'month']),
    at: o(Type.Integer({ description: 'an instant inside the period (ms); default now' })),
    customerId: o(Text(128)),
  },
  { additionalProperties: false },
);

export const WarrantyBody = Type.Object({ warrantyEnd: Nullable([Ms, Type.Null()], { description: 'end of the warranty (ms), null = unknown' }) }, { additionalProperties: false });
export const WarrantyView = Type.Object({ id: Type.Integer(), agentId: Type.String(), deviceId: Type.String(), warrantyEnd: Nullable([Ms, Type.Null()]), warranty: Type.Enum(['in', 'out', 'unknown']) });
