/** Helpers for the modbus driver tests: device configs, drivers built like the agent does, single polls. */
import type { Reading } from '@ledwatch/protocols';
import type { DeviceConfig } from '../../../config.js';
import { createDriver } from '../../../test-utils/conformance.js';
import type { Driver, DriverFactory } from '../../types.js';
import { modbusDriverFactory } from '../driver.js';

export function modbusDevice(id: string, options: Record<string, unknown>): DeviceConfig {
  return { id, kind: 'modbus', pollIntervalS: 10, options };
}

/** A driver with its options defaulted and checked against the schema, as at config load. */
export function modbusDriver(device: DeviceConfig, factory: DriverFactory = modbusDriverFactory() as DriverFactory): Driver {
  return createDriver(factory, device);
}

/** The one reading of one poll. */
export async function pollOnce(driver: Driver, timeoutMs = 3000): Promise<Reading> {
  const [reading, ...more] = await driver.poll(AbortSignal.timeout(timeoutMs));
  if (reading === undefined || more.length > 0) throw new Error(`expected one reading, got ${more.length + (reading ? 1 : 0)}`);
  return reading;
}

/** What a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

/** What a function throws (fails the test when it returns). */
export function thrownBy(fn: () => unknown): Error & { code?: string; details?: readonly string[] } {
  try {
    fn();
  } catch (err) {
    return err as Error & { code?: string; details?: readonly string[] };
  }
  throw new Error('expected a throw');
}
