/**
 * The `snmp` driver: reads a UPS (UPS-MIB) or a switch (IF-MIB) over SNMP v2c or v3 with
 * net-snmp. Each poll opens its own session and closes it, so an aborted poll leaves no
 * request behind. No response within the timeout and retries rejects the poll (the
 * scheduler reports the device unreachable); a v3 key the agent refuses rejects with
 * `snmp-auth-failed`. Options are never logged: they hold the community and keys.
 */
import { AgentError } from '../../errors.js';
import type { Driver, DriverContext, DriverFactory, InventoryDevice, Reading } from '../types.js';
import { withSnmpClient, type SnmpClient } from './client.js';
import { interfaceReader } from './interfaces.js';
import { checkSnmpOptions, SnmpOptionsSchema, type SnmpOptions } from './options.js';
import type { Identity, ProfileReader } from './read.js';
import { upsReader } from './ups.js';

/** Inventory reads the device when no poll has yet; the agent gives inventory 5 s in all. */
export const INVENTORY_TIMEOUT_MS = 4000;

export class SnmpDriver implements Driver {
  readonly #ctx: DriverContext<SnmpOptions>;
  readonly #reader: ProfileReader;
  #identity: Identity | undefined;
  #problems = '';
  #closed = false;

  constructor(ctx: DriverContext<SnmpOptions>) {
    this.#ctx = { ...ctx, options: checkSnmpOptions(ctx.options) };
    const { options, device } = this.#ctx;
    this.#reader =
      options.profile === 'ups-mib'
        ? upsReader(device.id, options.maxRepetitions)
        : interfaceReader(device.id, { maxRepetitions: options.maxRepetitions, ...(options.interfaces !== undefined && { interfaces: options.interfaces }) });
  }

  async inventory(): Promise<InventoryDevice[]> {
    if (this.#identity === undefined && !this.#closed) {
      try {
        this.#identity = await this.#session(AbortSignal.timeout(INVENTORY_TIMEOUT_MS), (client) => this.#reader.identify(client));
      } catch (err) {
        this.#ctx.log.debug({ err: String(err) }, 'device not identified yet; inventory without model');
      }
    }
    const { device } = this.#ctx;
    const entry: InventoryDevice = { id: device.id, kind: 'snmp', capabilities: [...this.#reader.capabilities] };
    const identity = this.#identity ?? {};
    const name = device.name ?? identity.name;
    if (name !== undefined) entry.name = name;
    if (identity.model !== undefined) entry.model = identity.model;
    if (identity.firmware !== undefined) entry.firmware = identity.firmware;
    return [entry];
  }

  async poll(signal: AbortSignal): Promise<Reading[]> {
    if (this.#closed) throw new AgentError('driver-closed', `snmp driver of ${this.#ctx.device.id} is closed`, 'create a new driver');
    const result = await this.#session(signal, (client) => this.#reader.poll(client, this.#ctx.now()));
    this.#identity = result.identity;
    this.#report(result.problems);
    return result.readings;
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  #session<T>(signal: AbortSignal, work: (client: SnmpClient) => Promise<T>): Promise<T> {
    return withSnmpClient(this.#ctx.options, this.#ctx.log, signal, work);
  }

  /** Logs the profile's missing and malformed OIDs once, and again only when they change. */
  #report(problems: string[]): void {
    const key = problems.join('\n');
    if (key === this.#problems) return;
    this.#problems = key;
    if (problems.length > 0) this.#ctx.log.warn({ profile: this.#ctx.options.profile, problems }, 'device lacks or garbles some OIDs of its profile; other metrics are reported');
  }
}

export function snmpDriverFactory(): DriverFactory<SnmpOptions> {
  return {
    kind: 'snmp',
    optionsSchema: SnmpOptionsSchema,
    check: (_device, options) => void checkSnmpOptions(options),
    create: (ctx) => new SnmpDriver(ctx),
  };
}
