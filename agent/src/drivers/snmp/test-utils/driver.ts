/** Drivers for tests: options through the schema's defaults, as config loading does. */
import { Value } from 'typebox/value';
import { silentLogger, type Logger } from '../../../log.js';
import { SnmpDriver } from '../driver.js';
import { SnmpOptionsSchema, type SnmpOptions } from '../options.js';

export interface TestDriverOptions {
  now?: () => number;
  log?: Logger;
}

/** `options` with the schema's defaults; throws listing the problems when they do not fit it. */
export function snmpOptions(options: Record<string, unknown>): SnmpOptions {
  const withDefaults = Value.Default(SnmpOptionsSchema, structuredClone(options));
  if (!Value.Check(SnmpOptionsSchema, withDefaults)) {
    throw new Error(`bad snmp options: ${[...Value.Errors(SnmpOptionsSchema, withDefaults)].map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
  }
  return withDefaults;
}

export function snmpDriver(id: string, options: Record<string, unknown>, t: TestDriverOptions = {}): SnmpDriver {
  return new SnmpDriver({
    device: { id, kind: 'snmp', pollIntervalS: 10, options },
    options: snmpOptions(options),
    log: t.log ?? silentLogger(),
    now: t.now ?? Date.now,
  });
}

/** A signal for one poll in a test: generous, the simulators answer in milliseconds. */
export const pollSignal = (): AbortSignal => AbortSignal.timeout(5000);
