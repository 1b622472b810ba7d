/**
 * The driver plug-in shape. One driver instance per configured device; the scheduler calls
 * `poll()` on the device's interval and `inventory()` at every birth. Kept deliberately
 * small: a factory validates its own options (TypeBox) and creates drivers from one
 * context object.
 */
import type { InventoryDevice, Reading } from '@ledwatch/protocols';
import type { TSchema } from 'typebox';
import type { DeviceConfig } from '../config.js';
import type { Logger } from '../log.js';

export type { InventoryDevice, Reading } from '@ledwatch/protocols';

export interface Driver {
  /** The device (and any sub-devices) this driver reads, for the retained inventory. */
  inventory(): Promise<InventoryDevice[]>;
  /**
   * Reads the device once. Honour `signal`: the scheduler aborts it at the poll timeout
   * (and on shutdown) and reports the device unreachable.
   */
  poll(signal: AbortSignal): Promise<Reading[]>;
  /** Releases ports, sockets and timers. Called once, on agent stop. */
  close(): Promise<void>;
}

export interface DriverContext<O> {
  device: DeviceConfig;
  /** The device's `options`, validated against the factory's schema with defaults applied. */
  options: O;
  log: Logger;
  /** Site clock in ms since the epoch; use it for reading times. */
  now(): number;
}

export interface DriverFactory<O = unknown> {
  /** The `kind` configured devices name, e.g. `host`. */
  readonly kind: string;
  /** Schema of the device's `options`, checked at config load. */
  readonly optionsSchema: TSchema;
  /**
   * Checks the options cannot express in a schema (e.g. host for TCP, path for serial),
   * at config load: throws an error whose message says what is wrong (and `hint`, the fix).
   */
  check?(device: DeviceConfig, options: O): void;
  create(ctx: DriverContext<O>): Driver;
}
