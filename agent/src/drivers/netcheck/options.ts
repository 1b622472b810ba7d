/**
 * Options of the `netcheck` driver: the targets to check, always named in the config (the
 * driver never scans or guesses). One flat target schema with a per-type requirement, so a
 * config error names the key: `targets.1.url: is required`.
 */
import { Type, type Static } from 'typebox';

/** One status, or a list of statuses and ranges: `200-299,304`. */
export const STATUS_SPEC_PATTERN = '^\\s*[1-5][0-9]{2}(\\s*-\\s*[1-5][0-9]{2})?(\\s*,\\s*[1-5][0-9]{2}(\\s*-\\s*[1-5][0-9]{2})?)*\\s*$';

const Status = Type.Integer({ minimum: 100, maximum: 599 });

/**
 * `keys` are required when the target's `type` is `type`. Written as "if not … else"
 * because TypeBox 1.4 drops the errors of a failing `then` branch, while `else` errors are
 * reported key by key.
 */
const requiredFor = (type: string, keys: string[]) => ({
  if: { properties: { type: { not: { const: type } } } },
  else: { required: keys },
});

export const NetcheckTargetSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$',
      description: 'component id of the target in readings, e.g. gateway or cms',
    }),
    type: Type.Enum(['tcp', 'http'], { description: 'tcp: connect to host:port; http: request url (http:// or https://)' }),
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'tcp: host name or IP address to connect to' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'tcp: port to connect to' })),
    url: Type.Optional(Type.String({ pattern: '^[Hh][Tt][Tt][Pp][Ss]?://', description: 'http: http:// or https:// URL to request' })),
    method: Type.Optional(Type.Enum(['GET', 'HEAD'], { description: 'http: request method, GET or HEAD; default GET' })),
    expectStatus: Type.Optional(
      Type.Union([Status, Type.Array(Status, { minItems: 1 }), Type.String({ pattern: STATUS_SPEC_PATTERN })], {
        description: 'http: statuses that count as up — 200, [200, 204] or "200-299,304"; default 200-399',
      }),
    ),
    timeoutMs: Type.Integer({ minimum: 1, maximum: 120_000, default: 3000, description: 'give up on the target after this many ms' }),
    warnLatencyMs: Type.Optional(Type.Integer({ minimum: 1, description: 'warn when the latency is above this many ms' })),
    caFile: Type.Optional(Type.String({ minLength: 1, description: 'https: PEM CA bundle to trust besides the system CAs' })),
    rejectUnauthorized: Type.Boolean({
      default: true,
      description: 'https: an untrusted certificate is a fault (false: only reported as certTrusted false)',
    }),
    warnCertDays: Type.Integer({ minimum: 0, default: 21, description: 'https: warn when the certificate expires within this many days' }),
  },
  { additionalProperties: false, allOf: [requiredFor('tcp', ['host', 'port']), requiredFor('http', ['url'])] },
);
export type NetcheckTargetOptions = Static<typeof NetcheckTargetSchema>;

export const NetcheckOptionsSchema = Type.Object(
  {
    targets: Type.Array(NetcheckTargetSchema, { minItems: 1, maxItems: 200, description: 'the hosts and URLs to check' }),
    concurrency: Type.Integer({ minimum: 1, maximum: 64, default: 8, description: 'targets checked at the same time' }),
  },
  { additionalProperties: false },
);
export type NetcheckOptions = Static<typeof NetcheckOptionsSchema>;
