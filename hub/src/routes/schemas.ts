/**
 * TypeBox schemas shared by the HTTP routes: the error body, ids, timestamps and the API
 * shape of every entity. Field names are camelCase on the wire; times are ms since epoch.
 */
import { Type, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Ms = Type.Integer({ description: 'ms since the Unix epoch' });
export const Id = Type.String({ minLength: 1, maxLength: 128 });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 8, maxLength: 256, description: 'at least 8 characters' });

export const IdParams = Type.Object({ id: Id });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Enum(['validation', 'unauthorized', 'forbidden', 'not-found', 'conflict', 'rate-limited', 'internal']),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: 'every error has this shape' },
);

/** A route's success responses plus the shared error body for 4xx and 5xx. */
export function withErrors<T extends Record<number, TSchema>>(ok: T): T & { '4xx': typeof ErrorBody; '5xx': typeof ErrorBody } {
  return { ...ok, '4xx': ErrorBody, '5xx': ErrorBody };
}

export const ListOf = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

export const Role = Type.Enum(['admin', 'engineer', 'customer']);

export const Customer = Type.Object({ id: Id, name: Name, language: Type.String(), createdAt: Ms, updatedAt: Ms });

export const Site = Type.Object({
  id: Id,
  customerId: Id,
  name: Name,
  timezone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
  address: Nullable(Type.String()),
  createdAt: Ms,
  updatedAt: Ms,
});

export const Contact = Type.Object({
  id: Id,
  customerId: Id,
  siteId: Nullable(Id),
  name: Name,
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  role: Nullable(Type.String()),
  createdAt: Ms,
});

export const Agent = Type.Object({
  id: Id,
  name: Name,
  siteId: Id,
  online: Type.Boolean(),
  lastSeen: Nullable(Ms),
  version: Nullable(Type.String()),
  hostname: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  startedAt: Nullable(Ms),
  revokedAt: Nullable(Ms),
  createdAt: Ms,
});

export const MetricValue = Type.Union([Type.Number(), Type.Boolean(), Type.String()]);

export const LatestReading = Type.Object({
  component: Type.String({ description: "'' for the device itself" }),
  at: Ms,
  metrics: Type.Record(Type.String(), MetricValue),
  state: Nullable(Type.String()),
});

export const Device = Type.Object({
  id: Type.Integer(),
  agentId: Id,
  deviceId: Type.String(),
  siteId: Id,
  kind: Type.String(),
  name: Nullable(Type.String()),
  model: Nullable(Type.String()),
  firmware: Nullable(Type.String()),
  serial: Nullable(Type.String()),
  parent: Nullable(Type.String()),
  state: Nullable(Type.String()),
  present: Type.Boolean(),
  capabilities: Type.Array(Type.String()),
  lastReadingAt: Nullable(Ms),
  latest: Type.Array(LatestReading),
});

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Name,
  role: Role,
  customerId: Nullable(Id),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean(),
  createdAt: Ms,
  updatedAt: Ms,
});

export const Token = Type.Object({
  id: Id,
  userId: Id,
  name: Name,
  kind: Type.Enum(['api', 'session']),
  createdAt: Ms,
  expiresAt: Nullable(Ms),
  lastUsedAt: Nullable(Ms),
  revokedAt: Nullable(Ms),
});

export const AuditRecord = Type.Object({
  id: Type.Integer(),
  at: Ms,
  actorUserId: Nullable(Type.String()),
  actorTokenId: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Nullable(Type.String()),
  details: Nullable(Type.Record(Type.String(), Type.Unknown())),
  ip: Nullable(Type.String()),
});
