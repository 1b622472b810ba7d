/**
 * The `modbus` driver: power supplies, sensors and meters over Modbus RTU (RS-485) or
 * Modbus TCP, read through a profile (register → metric, scale, sign, unit). One poll
 * sends the fewest reads that cover the profile (`planReads`), decodes them
 * (`decodeProfileValues`) and gives one reading whose state follows the profile's alarms.
 *
 * A block the device refuses with an exception leaves its metrics out, and the reading
 * says so in `error` and at least `warn`; when every block is refused the poll rejects
 * with the exception. A timeout or a broken link rejects the poll (the scheduler reports
 * the device unreachable) and the connection is reopened on the next one.
 */
import { modbus, type Reading } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';
import type { Driver, DriverContext, DriverFactory, InventoryDevice } from '../types.js';
import { ModbusBusRegistry, type BusLease } from './bus-registry.js';
import type { ModbusBusOptions } from './bus.js';
import { ModbusOptionsSchema, resolveModbusSetup, type ModbusDeviceSetup, type ModbusOptions } from './options.js';
import { activeAlarms, alarmState } from './state.js';

const MAX_CAPABILITIES = 64;
const text = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);

export class ModbusDriver implements Driver {
  readonly #ctx: DriverContext<ModbusOptions>;
  readonly #setup: ModbusDeviceSetup;
  readonly #lease: BusLease;
  readonly #plan: modbus.ReadBlock[];
  #closed = false;

  constructor(ctx: DriverContext<ModbusOptions>, setup: ModbusDeviceSetup, lease: BusLease) {
    this.#ctx = ctx;
    this.#setup = setup;
    this.#lease = lease;
    this.#plan = modbus.planReads(setup.profile);
  }

  inventory(): Promise<InventoryDevice[]> {
    const { profile, unitId } = this.#setup;
    const model = profile.model ?? profile.name;
    return Promise.resolve([
      {
        id: this.#ctx.device.id,
        kind: 'modbus',
        name: text(this.#ctx.device.name ?? `${model} (unit ${unitId} on ${this.#lease.bus.key})`, 200),
        model: text(model, 128),
        capabilities: profile.registers.slice(0, MAX_CAPABILITIES).map((r) => r.metric),
      },
    ]);
  }

  async poll(signal: AbortSignal): Promise<Reading[]> {
    if (this.#closed) throw new AgentError('driver-closed', `modbus driver of ${this.#ctx.device.id} is closed`, 'create a new driver');
    const { profile, unitId, timeoutMs } = this.#setup;
    const read: modbus.BlockValues[] = [];
    const refused: modbus.ModbusError[] = [];
    for (const block of this.#plan) {
      try {
        read.push({ block, values: await this.#lease.bus.read({ unitId, block, timeoutMs }, signal, this.#ctx.log) });
      } catch (err) {
        if (!(err instanceof modbus.ModbusError && err.code === 'exception')) throw err;
        refused.push(err);
      }
    }
    if (read.length === 0 && refused[0] !== undefined) throw refused[0];
    const metrics: Reading['metrics'] = modbus.decodeProfileValues(profile, read);
    let state: Reading['state'] = alarmState(activeAlarms(profile, metrics));
    if (refused.length > 0) {
      this.#ctx.log.warn({ errors: refused.map((e) => e.message) }, 'device refused part of its profile');
      metrics.error = text(refused.map((e) => e.message).join('; '), 256);
      if (state === 'ok') state = 'warn';
    }
    return [{ device: this.#ctx.device.id, at: this.#ctx.now(), metrics, state }];
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#lease.release();
  }
}

export interface ModbusDriverFactoryOptions extends ModbusBusOptions {
  /** The buses devices share; one per factory by default. */
  buses?: ModbusBusRegistry;
}

/**
 * The factory the agent registers. Creating a driver checks the options, loads the
 * profile (a bad profile file fails here, naming the file and every problem) and leases
 * the device's bus; nothing is opened until the first poll.
 */
export function modbusDriverFactory(opts: ModbusDriverFactoryOptions = {}): DriverFactory<ModbusOptions> {
  const { buses, ...busOptions } = opts;
  const registry = buses ?? new ModbusBusRegistry(busOptions);
  return {
    kind: 'modbus',
    optionsSchema: ModbusOptionsSchema,
    check: (device, options) => void resolveModbusSetup(device, options),
    create: (ctx) => {
      const setup = resolveModbusSetup(ctx.device, ctx.options);
      return new ModbusDriver(ctx, setup, registry.acquire(ctx.device.id, setup.endpoint, setup.unitId));
    },
  };
}
