/**
 * Structured logging: pino, JSON to stderr, one `module` namespace per part of the agent.
 * Secrets are redacted wherever they appear in a logged object, so a config or an options
 * object can never leak the agent secret or the MQTT password.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Keys whose values never reach a log line, at any of the first three nesting levels. */
export const REDACT_PATHS: string[] = [
  ...['secret', 'password'].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  // Device credentials inside a logged config (SNMP community and v3 keys, HTTP passwords).
  ...['community', 'password'].map((k) => `config.devices[*].options.${k}`),
  ...['authKey', 'privKey'].map((k) => `config.devices[*].options.v3.${k}`),
];

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays free for command output. */
  destination?: DestinationStream;
}

export function createLogger(opts: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      name: 'ledwatch-agent',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    opts.destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything; the default for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
