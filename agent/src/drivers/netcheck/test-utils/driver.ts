/** Makes a netcheck driver the way the agent does: options defaulted and checked first. */
import { Value } from 'typebox/value';
import { silentLogger } from '../../../log.js';
import { netcheckDriverFactory, type NetcheckDriver } from '../driver.js';
import { NetcheckOptionsSchema } from '../options.js';

export const DEVICE_ID = 'net';

export interface TestDriverOptions {
  /** Site clock; Date.now by default. */
  now?: () => number;
}

export function netcheckDriver(options: unknown, opts: TestDriverOptions = {}): NetcheckDriver {
  const defaulted = Value.Default(NetcheckOptionsSchema, structuredClone(options));
  if (!Value.Check(NetcheckOptionsSchema, defaulted)) throw new Error(`test options do not match the schema: ${JSON.stringify(options)}`);
  const device = { id: DEVICE_ID, kind: 'netcheck', pollIntervalS: 10, options: defaulted };
  return netcheckDriverFactory().create({ device, options: defaulted, log: silentLogger(), now: opts.now ?? Date.now }) as NetcheckDriver;
}

/** The reading of the target named `name`. */
export function readingOf<R extends { component?: string }>(readings: readonly R[], name: string): R {
  const found = readings.find((r) => r.component === name);
  if (found === undefined) throw new Error(`no reading for target ${name}`);
  return found;
}
