/**
 * The shared conformance suite every driver passes (STYLE rule 9). A driver's test file
 * calls `describeDriverConformance` with a harness that starts the driver's simulator
 * (or a real peer) and can make the device fall silent.
 *
 *   - poll resolves against the simulator, with readings that follow the contract;
 *   - inventory names the configured device;
 *   - poll rejects within its timeout when the device is silent;
 *   - aborting a poll stops it promptly;
 *   - close is idempotent, and poll after close rejects.
 */
import { validatePayload } from '@ledwatch/protocols';
import { Value } from 'typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../config.js';
import { silentLogger } from '../log.js';
import type { Driver, DriverFactory } from '../drivers/types.js';

export interface ConformanceTarget {
  /** The device as configured (`options` are validated by the factory's schema here). */
  device: DeviceConfig;
  /** Makes the device stop answering (stop the simulator, drop its socket, …). */
  silence(): Promise<void>;
  cleanup(): Promise<void>;
}

export interface ConformanceHarness {
  factory: DriverFactory;
  /** Starts a fresh simulator or peer for one test. */
  start(): Promise<ConformanceTarget>;
  /** The poll timeout to test against; the suite passes it as an abort signal. Default 1000. */
  timeoutMs?: number;
}

export function createDriver(factory: DriverFactory, device: DeviceConfig): Driver {
  const options = Value.Default(factory.optionsSchema, structuredClone(device.options ?? {}));
  if (!Value.Check(factory.optionsSchema, options)) {
    throw new Error(`conformance: options of ${device.id} do not match the ${factory.kind} schema`);
  }
  return factory.create({ device, options, log: silentLogger(), now: Date.now });
}

const SLACK_MS = 750;

export function describeDriverConformance(name: string, harness: ConformanceHarness): void {
  const timeoutMs = harness.timeoutMs ?? 1000;

  describe(`${name} driver conformance`, () => {
    const open: { target: ConformanceTarget; driver: Driver }[] = [];
    const setup = async (): Promise<{ target: ConformanceTarget; driver: Driver }> => {
      const target = await harness.start();
      const driver = createDriver(harness.factory, target.device);
      const pair = { target, driver };
      open.push(pair);
      return pair;
    };
    afterEach(async () => {
      for (const { target, driver } of open.splice(0)) {
        await driver.close();
        await target.cleanup();
      }
    });

    it('resolves a poll with readings that follow the contract', async () => {
      const { driver, target } = await setup();
      const readings = await driver.poll(AbortSignal.timeout(timeoutMs * 5));
      expect(readings.length).toBeGreaterThan(0);
      expect(() => validatePayload('telemetry', { seq: 0, readings })).not.toThrow();
      expect(readings.every((r) => r.device === target.device.id || r.device.startsWith(`${target.device.id}/`))).toBe(true);
    });

    it('names the configured device in its inventory', async () => {
      const { driver, target } = await setup();
      await driver.poll(AbortSignal.timeout(timeoutMs * 5)); // some drivers learn their inventory by polling
      const inventory = await driver.inventory();
      expect(inventory.map((d) => d.id)).toContain(target.device.id);
      expect(() => validatePayload('inventory', { sessionId: 's', at: Date.now(), devices: inventory })).not.toThrow();
    });

    it('rejects within its timeout when the device is silent', async () => {
      const { driver, target } = await setup();
      await target.silence();
      const started = Date.now();
      const outcome = await driver.poll(AbortSignal.timeout(timeoutMs)).then(
        (readings) => ({ ok: true as const, readings }),
        (err: unknown) => ({ ok: false as const, err }),
      );
      const elapsed = Date.now() - started;
      // A driver may also answer with readings that say the device is unreachable.
      if (outcome.ok) {
        expect(outcome.readings.some((r) => r.state === 'unreachable' || r.state === 'missing' || r.state === 'held')).toBe(true);
      } else {
        expect(outcome.err).toBeInstanceOf(Error);
      }
      expect(elapsed).toBeLessThan(timeoutMs + SLACK_MS);
    });

    it('stops promptly when the poll is aborted', async () => {
      const { driver, target } = await setup();
      await target.silence();
      const ctrl = new AbortController();
      const started = Date.now();
      const poll = driver.poll(ctrl.signal);
      setTimeout(() => ctrl.abort(new Error('test abort')), 50);
      await expect(poll).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(50 + SLACK_MS);
    });

    it('closes idempotently and refuses to poll afterwards', async () => {
      const { driver } = await setup();
      await driver.close();
      await expect(driver.close()).resolves.toBeUndefined();
      await expect(driver.poll(AbortSignal.timeout(timeoutMs))).rejects.toThrow();
    });
  });
}
