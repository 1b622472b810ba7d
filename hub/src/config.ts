/**
 * Hub configuration: YAML file ← `LEDWATCH_<KEY>` env ← defaults, validated at start-up
 * with every error at once (see protocols/src/config). `PORT` is an alias of http.port.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { ConfigError, resolveConfig } from '@ledwatch/protocols';
import { Type, type Static } from 'typebox';
import { parse as parseYaml } from 'yaml';

const Port = (def: number, description: string) => Type.Integer({ minimum: 0, maximum: 65535, default: def, description });

export const HubConfigSchema = Type.Object(
  {
    http: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0', description: 'address the HTTP API and dashboards listen on' }),
        port: Port(8080, 'TCP port of the HTTP API and dashboards (0 = any free port)'),
        publicUrl: Type.Optional(Type.String({ description: 'base URL users and agents reach the hub at, e.g. https://hub.example.com' })),
        trustProxy: Type.Boolean({ default: false, description: 'trust X-Forwarded-* headers from a reverse proxy' }),
      },
      { additionalProperties: false, default: {} },
    ),
    mqtt: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0', description: 'address the embedded broker listens on' }),
        port: Port(1883, 'TCP port of the embedded MQTT broker (0 = any free port)'),
        tlsPort: Port(8883, 'TCP port of MQTT over TLS, used when tls.cert and tls.key are set (0 = any free port)'),
        websocketPath: Type.String({ default: '/mqtt', pattern: '^/', description: 'path of MQTT over WebSocket on the HTTP server' }),
        externalUrl: Type.Optional(
          Type.String({ pattern: '^(mqtts?|wss?)://', description: 'use this external broker instead of the embedded one, e.g. mqtt://mosquitto:1883' }),
        ),
        externalUsername: Type.Optional(Type.String({ description: 'username the hub uses at the external broker' })),
        externalClientId: Type.String({
          default: 'ledwatch-hub',
          pattern: '^[A-Za-z0-9_.-]{1,64}$',
          description: 'MQTT client id of the hub at the external broker; stable, so its persistent session survives hub restarts',
        }),
        externalPassword: Type.Optional(Type.String({ description: 'password the hub uses at the external broker' })),
      },
      { additionalProperties: false, default: {} },
    ),
    tls: Type.Object(
      {
        cert: Type.Optional(Type.String({ description: 'path of the PEM certificate (chain) for HTTPS and MQTTS' })),
        key: Type.Optional(Type.String({ description: 'path of the PEM private key for HTTPS and MQTTS' })),
      },
      { additionalProperties: false, default: {} },
    ),
    data: Type.Object(
      {
        dir: Type.String({ default: './data', description: 'folder of the SQLite state database and other hub files' }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
          { default: 'info', description: 'one of fatal, error, warn, info, debug, trace, silent' },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    auth: Type.Object(
      {
        sessionTtlHours: Type.Number({ exclusiveMinimum: 0, default: 12, description: 'hours a dashboard login stays valid' }),
        loginMaxAttempts: Type.Integer({ minimum: 1, default: 10, description: 'failed logins allowed per email and address per window' }),
        mqttMaxFailures: Type.Integer({ minimum: 1, default: 10, description: 'failed MQTT connects allowed per client id and address per window' }),
        rateLimitWindowS: Type.Integer({ minimum: 1, default: 60, description: 'window of the login and MQTT connect rate limits, in seconds' }),
      },
      { additionalProperties: false, default: {} },
    ),
    ingest: Type.Object(
      {
        maxClockSkewS: Type.Number({
          exclusiveMinimum: 0,
          default: 30,
          description: 'site clock error beyond which the hub raises clock-skew and stores readings on corrected time, in seconds',
        }),
        latestFlushMs: Type.Integer({
          minimum: 0,
          default: 60_000,
          description:
            'how long the latest reading of a device may wait in memory before it is written to the state database, in ms: a device is written at most once per this (0 = at the end of the event-loop turn); the API shows waiting readings, a state change is written at once, history is unaffected',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    influx: Type.Object(
      {
        url: Type.Optional(
          Type.String({ pattern: '^https?://', description: 'InfluxDB base URL (v1 HTTP API of 1.x, 2.x or 3.x), e.g. http://influxdb:8086; unset = embedded SQLite telemetry' }),
        ),
        database: Type.String({ default: 'ledwatch', minLength: 1, description: 'InfluxDB database the hub writes telemetry to (created with its retention policy when missing)' }),
        retentionPolicy: Type.String({ default: 'ledwatch_raw', minLength: 1, description: 'retention policy the hub writes to and creates as the default, lasting telemetry.rawRetentionDays' }),
        username: Type.Optional(Type.String({ description: 'InfluxDB 1.x user (sent as HTTP Basic auth)' })),
        password: Type.Optional(Type.String({ description: 'password of influx.username' })),
        token: Type.Optional(Type.String({ description: 'API token for InfluxDB 2.x/3.x v1 compatibility (sent as Authorization: Token)' })),
        createDatabase: Type.Boolean({ default: true, description: 'create the database and retention policy when missing (turn off on 2.x/3.x, where buckets are made there)' }),
        gzip: Type.Union([Type.Boolean(), Type.Literal('auto')], {
          default: 'auto',
          description: 'gzip write bodies (Content-Encoding: gzip); auto = unless InfluxDB is on loopback, where compressing costs both ends CPU and saves nothing',
        }),
        writeConcurrency: Type.Integer({ minimum: 1, maximum: 16, default: 2, description: 'write requests in flight to InfluxDB at once (it parses them on several cores)' }),
        batchSize: Type.Integer({ minimum: 1, maximum: 100000, default: 5000, description: 'points per write request at most' }),
        flushIntervalMs: Type.Integer({ minimum: 1, default: 100, description: 'longest a point waits for its batch to fill before it is sent, in ms' }),
        maxBufferedPoints: Type.Integer({ minimum: 1, default: 100000, description: 'points held in memory at most; when full, ingest waits (and stops acking) until InfluxDB catches up' }),
        retryMaxDelayMs: Type.Integer({ minimum: 1, default: 30000, description: 'longest pause between write retries (exponential backoff with full jitter), in ms' }),
        timeoutMs: Type.Integer({ minimum: 1, default: 10000, description: 'timeout of one HTTP request to InfluxDB, in ms' }),
      },
      { additionalProperties: false, default: {} },
    ),
    telemetry: Type.Object(
      {
        rawRetentionDays: Type.Number({ exclusiveMinimum: 0, default: 30, description: 'days raw readings are kept (embedded store and the InfluxDB retention policy)' }),
        minuteRetentionDays: Type.Number({ exclusiveMinimum: 0, default: 90, description: 'days 1-minute rollups are kept (embedded store)' }),
        hourRetentionDays: Type.Number({ exclusiveMinimum: 0, default: 1825, description: 'days 1-hour rollups are kept (embedded store)' }),
        rollupIntervalS: Type.Integer({ minimum: 1, default: 60, description: 'seconds between rollup runs of the embedded store' }),
        pruneIntervalS: Type.Integer({ minimum: 1, default: 3600, description: 'seconds between retention runs of the embedded store' }),
      },
      { additionalProperties: false, default: {} },
    ),
    smtp: Type.Object(
      {
        host: Type.Optional(Type.String({ minLength: 1, description: 'SMTP server the hub sends mail through, e.g. smtp.example.com; unset = no email' })),
        port: Port(587, 'TCP port of the SMTP server (587 submission with STARTTLS, 465 with smtp.secure)'),
        secure: Type.Boolean({ default: false, description: 'TLS from the first byte (port 465); false = plain, upgraded with STARTTLS when the server offers it' }),
        requireTls: Type.Boolean({ default: false, description: 'refuse to send unless STARTTLS succeeds (when smtp.secure is false)' }),
        user: Type.Optional(Type.String({ minLength: 1, description: 'SMTP login user; unset = no authentication' })),
        password: Type.Optional(Type.String({ description: 'password of smtp.user (never logged)' })),
        from: Type.Optional(Type.String({ minLength: 3, description: 'From address of every hub mail, e.g. "ledwatch <noreply@example.com>"; required with smtp.host' })),
        timeoutMs: Type.Integer({ minimum: 1, default: 30000, description: 'connect, greeting and socket timeout of one SMTP session, in ms' }),
      },
      { additionalProperties: false, default: {} },
    ),
    notify: Type.Object(
      {
        escalation: Type.Array(
          Type.Object({ afterMin: Type.Number({ exclusiveMinimum: 0, description: 'minutes after the first notice' }) }, { additionalProperties: false }),
          {
            default: [{ afterMin: 15 }, { afterMin: 60 }],
            description: 'escalation steps: step N notifies the level-N subscriptions when the matter is still not acknowledged afterMin minutes after the first notice',
          },
        ),
        dedupeWindowS: Type.Integer({ minimum: 0, default: 600, description: 'the same notification (key, event, target) is not sent again within this many seconds' }),
        maxPerKeyPerHour: Type.Integer({ minimum: 1, default: 6, description: 'notifications per key (e.g. one alarm) and target in any hour at most; more are recorded as suppressed' }),
        retryAttempts: Type.Integer({ minimum: 1, default: 5, description: 'delivery attempts per notification at most (network errors, 5xx, SMTP 4xx)' }),
        retryBaseDelayMs: Type.Integer({ minimum: 1, default: 2000, description: 'pause before the first retry, doubled after each, in ms' }),
        retryMaxDelayMs: Type.Integer({ minimum: 1, default: 300000, description: 'longest pause between retries, in ms' }),
        webhookTimeoutMs: Type.Integer({ minimum: 1, default: 10000, description: 'timeout of one webhook POST, in ms' }),
        mailFailureThreshold: Type.Integer({
          minimum: 1,
          default: 3,
          description: 'failed SMTP attempts in a row after which the hub reports mail-failing (and tells webhook subscribers of hub.mail-failing)',
        }),
        heartbeatUrl: Type.Optional(Type.String({ pattern: '^https?://', description: 'dead-man\'s-switch URL the hub calls every notify.heartbeatEveryS while healthy; unset = no heartbeat' })),
        heartbeatMethod: Type.Union([Type.Literal('GET'), Type.Literal('POST')], { default: 'GET', description: 'HTTP method of the heartbeat: GET, or POST with a JSON status body' }),
        heartbeatEveryS: Type.Integer({ minimum: 1, default: 60, description: 'seconds between heartbeats and self-checks (state database, telemetry store)' }),
        heartbeatTimeoutMs: Type.Integer({ minimum: 1, default: 10000, description: 'timeout of one heartbeat request, in ms' }),
      },
      { additionalProperties: false, default: {} },
    ),
    tickets: Type.Object(
      {
        autoOpenSeverity: Type.Union([Type.Literal('info'), Type.Literal('risk'), Type.Literal('fault'), Type.Literal('critical')], {
          default: 'fault',
          description: 'alarms raised at or above this severity open a ticket (or link to the open one of their device and fault type)',
        }),
        autoResolveAfterMin: Type.Number({
          minimum: 0,
          default: 120,
          description: 'minutes after all linked alarms cleared that a ticket still new or assigned is resolved by itself (cause "cleared by itself"); 0 = never',
        }),
        sweepIntervalS: Type.Integer({ minimum: 1, default: 60, description: 'seconds between checks for tickets to auto-resolve' }),
        recurring: Type.Object(
          {
            month: Type.Integer({ minimum: 1, default: 3, description: 'occurrences of the same fault on the same device in a calendar month (UTC) that make it recurring' }),
            quarter: Type.Integer({ minimum: 1, default: 5, description: 'the same, within a calendar quarter' }),
            year: Type.Integer({ minimum: 1, default: 8, description: 'the same, within a calendar year' }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    inspections: Type.Object(
      {
        schedule: Type.Boolean({ default: true, description: 'run the sites’ inspection schedules (and missed runs at start-up); false = only on demand' }),
        resultTimeoutS: Type.Integer({ minimum: 1, default: 120, description: 'seconds to wait for an agent’s inspect answer before the report says the agent did not answer' }),
        missedRunDelayS: Type.Integer({ minimum: 0, default: 30, description: 'seconds after start-up before runs missed while the hub was down are made up' }),
        concurrency: Type.Integer({ minimum: 1, default: 50, description: 'inspections (sites) running at once in one scheduled wave' }),
      },
      { additionalProperties: false, default: {} },
    ),
    reports: Type.Object(
      {
        fontPath: Type.Optional(Type.String({ minLength: 1, description: 'TTF/OTF/TTC font for PDF reports; set one covering CJK (e.g. Noto Sans CJK from fonts-noto-cjk) for Korean or Chinese reports; unset = built-in Helvetica (Latin only)' })),
        mail: Type.Boolean({ default: true, description: 'mail each new report (PDF attached) to the site’s customer contacts when smtp is configured' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type HubConfig = Static<typeof HubConfigSchema>;

export const HUB_ENV_PREFIX = 'LEDWATCH';
export const HUB_ENV_ALIASES = { PORT: 'http.port' } as const;

export interface LoadHubConfigOptions {
  /** Path of hub.yaml; when absent only env and defaults apply. */
  file?: string | undefined;
  env?: Record<string, string | undefined>;
  /** Values that sit between the file and the env (used by tests and the demo). */
  overrides?: Record<string, unknown>;
}

export function loadHubConfig(opts: LoadHubConfigOptions = {}): HubConfig {
  let fileObject: unknown = {};
  const source = opts.file ?? 'defaults + environment';
  if (opts.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolvePath(opts.file), 'utf8');
    } catch (err) {
      throw new ConfigError(source, [{ key: '(file)', message: `cannot read ${opts.file}: ${(err as Error).message}`, fix: 'pass --config with the path of an existing hub.yaml' }]);
    }
    try {
      fileObject = parseYaml(text) ?? {};
    } catch (err) {
      throw new ConfigError(source, [{ key: '(file)', message: `not valid YAML: ${(err as Error).message}`, fix: 'correct the YAML syntax at the line named' }]);
    }
  }
  if (opts.overrides) fileObject = deepMerge(fileObject, opts.overrides);
  const cfg = resolveConfig<HubConfig>(HubConfigSchema, fileObject, {
    envPrefix: HUB_ENV_PREFIX,
    env: opts.env ?? process.env,
    envAliases: HUB_ENV_ALIASES,
    source,
  });
  const issues = [];
  if ((cfg.tls.cert === undefined) !== (cfg.tls.key === undefined)) {
    issues.push({ key: cfg.tls.cert === undefined ? 'tls.cert' : 'tls.key', message: 'tls.cert and tls.key go together', fix: 'set both (TLS on) or neither (TLS off)' });
  }
  if (cfg.smtp.host !== undefined && cfg.smtp.from === undefined) {
    issues.push({ key: 'smtp.from', message: 'is required when smtp.host is set', fix: 'set smtp.from to the sender address, e.g. "ledwatch <noreply@example.com>"' });
  }
  const steps = cfg.notify.escalation.map((s) => s.afterMin);
  if (steps.some((m, i) => i > 0 && m <= (steps[i - 1] ?? 0))) {
    issues.push({ key: 'notify.escalation', message: `afterMin must grow from step to step (got ${steps.join(', ')})`, fix: 'list the steps in the order they fire, e.g. [{afterMin: 15}, {afterMin: 60}]' });
  }
  if (cfg.smtp.password !== undefined && cfg.smtp.user === undefined) {
    issues.push({ key: 'smtp.user', message: 'smtp.password is set without smtp.user', fix: 'set smtp.user too, or remove smtp.password' });
  }
  if (issues.length > 0) throw new ConfigError(source, issues);
  return cfg;
}

function deepMerge(base: unknown, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof cur === 'object' && cur !== null ? deepMerge(cur, v as Record<string, unknown>) : v;
  }
  return out;
}
