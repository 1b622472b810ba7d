/**
 * TypeBox shapes of the notification API (routes/notify.ts): subscriptions, webhooks,
 * the notification log and test sends. camelCase on the wire, times in ms.
 */
import { Type } from 'typebox';
import { Id, Ms, Name, Nullable } from '../routes/schemas.js';

export const Severity = Type.Enum(['info', 'risk', 'fault', 'critical']);
export const Channel = Type.Enum(['email', 'webhook']);
export const Status = Type.Enum(['pending', 'sent', 'failed', 'suppressed', 'retrying']);

export const Target = Type.Union(
  [
    Type.Object({ contactId: Id }, { additionalProperties: false }),
    Type.Object({ userId: Id }, { additionalProperties: false }),
    Type.Object({ role: Type.Enum(['engineer', 'admin']) }, { additionalProperties: false }),
    Type.Object({ webhookId: Id }, { additionalProperties: false }),
  ],
  { description: 'exactly one of {contactId}, {userId}, {role: engineer|admin}, {webhookId}' },
);

const EventGlob = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9*][a-z0-9.*_-]*$', description: "dotted event name, * matches anything: 'alarm.*', 'ticket.opened', '*'" });
const Events = Type.Array(EventGlob, { minItems: 1, maxItems: 50 });
const Level = Type.Integer({ minimum: 0, maximum: 20, description: '0 = told at once; N = told when escalation step N (notify.escalation) is reached unacknowledged' });

export const Subscription = Type.Object({
  id: Id,
  target: Target,
  channel: Channel,
  minSeverity: Severity,
  customerId: Nullable(Id),
  siteId: Nullable(Id),
  events: Type.Array(Type.String()),
  escalationLevel: Type.Integer(),
  enabled: Type.Boolean(),
  createdAt: Ms,
  updatedAt: Ms,
});

export const CreateSubscription = Type.Object(
  {
    target: Target,
    channel: Type.Optional(Channel),
    minSeverity: Type.Optional(Severity),
    customerId: Type.Optional(Nullable(Id)),
    siteId: Type.Optional(Nullable(Id)),
    events: Type.Optional(Events),
    escalationLevel: Type.Optional(Level),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const PatchSubscription = Type.Partial(CreateSubscription, { additionalProperties: false, minProperties: 1 });

const Url = Type.String({ pattern: '^https?://', maxLength: 2000, description: 'http(s) URL the hub POSTs to' });
const Secret = Type.String({ minLength: 16, maxLength: 256, description: 'shared HMAC-SHA256 key (write-only; at least 16 characters)' });

export const Webhook = Type.Object({
  id: Id,
  name: Name,
  url: Type.String(),
  secretHint: Type.String({ description: 'the secret masked: its last 4 characters only' }),
  enabled: Type.Boolean(),
  createdAt: Ms,
  updatedAt: Ms,
});

export const CreatedWebhook = Type.Intersect([
  Webhook,
  Type.Object({ secret: Type.Optional(Type.String({ description: 'only when the hub generated the secret: shown in this answer and never again' })) }),
]);

export const CreateWebhook = Type.Object(
  { name: Name, url: Url, secret: Type.Optional(Secret), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const PatchWebhook = Type.Object(
  { name: Type.Optional(Name), url: Type.Optional(Url), secret: Type.Optional(Secret), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
);

export const NotificationRecord = Type.Object({
  id: Type.Integer(),
  key: Type.String(),
  event: Type.String(),
  severity: Severity,
  level: Type.Integer(),
  channel: Channel,
  target: Type.String({ description: 'email:<address>, webhook:<id>, or contact:<id> when the contact has no address' }),
  subscriptionId: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  siteId: Nullable(Type.String()),
  subject: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  error: Nullable(Type.String()),
  createdAt: Ms,
  sentAt: Nullable(Ms),
  nextAttemptAt: Nullable(Ms),
});

export const NotificationQuery = Type.Object(
  {
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    event: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Status),
    channel: Type.Optional(Channel),
    severity: Type.Optional(Severity),
    customerId: Type.Optional(Id),
    siteId: Type.Optional(Id),
    since: Type.Optional(Type.Integer({ minimum: 0, description: 'created at or after (ms)' })),
    until: Type.Optional(Type.Integer({ minimum: 0, description: 'created before (ms)' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'the `next` value of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

export const NotificationPage = Type.Object({ items: Type.Array(NotificationRecord), next: Nullable(Type.Integer()) });

export const TestRequest = Type.Object({ target: Target }, { additionalProperties: false });
