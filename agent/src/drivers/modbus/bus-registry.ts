/**
 * The buses of one driver factory, by path (`rtu:/dev/ttyUSB0`) or address
 * (`tcp://10.0.0.5:502`). Devices on one RS-485 bus, or behind one TCP gateway, lease the
 * same {@link ModbusBus}, so they share one port (a serial port opens only once) and
 * their requests take turns. The bus closes when its last device lets go.
 *
 * Leasing refuses what cannot work on one bus: two serial settings, or two devices with
 * one unit id.
 */
import { AgentError } from '../../errors.js';
import { ModbusBus, type ModbusBusOptions } from './bus.js';
import { busKey, describeSerial, type BusEndpoint } from './options.js';

export interface BusLease {
  readonly bus: ModbusBus;
  /** Lets go of the bus; the last lease closes it. Idempotent. */
  release(): Promise<void>;
}

interface Entry {
  bus: ModbusBus;
  /** Device id → unit id. */
  users: Map<string, number>;
}

export class ModbusBusRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #options: ModbusBusOptions;

  constructor(options: ModbusBusOptions = {}) {
    this.#options = options;
  }

  acquire(deviceId: string, endpoint: BusEndpoint, unitId: number): BusLease {
    const key = busKey(endpoint);
    const entry = this.#entries.get(key) ?? { bus: new ModbusBus(endpoint, this.#options), users: new Map<string, number>() };
    const [other] = entry.users.keys();
    const shared = entry.bus.endpoint;
    if (other !== undefined && shared.transport === 'rtu' && endpoint.transport === 'rtu' && describeSerial(shared) !== describeSerial(endpoint)) {
      throw new AgentError(
        'modbus-options',
        `device ${deviceId} wants ${key} at ${describeSerial(endpoint)}, but device ${other} on the same bus uses ${describeSerial(shared)}`,
        'a bus runs at one speed: give every device on it the same baudRate, parity, dataBits and stopBits (set the devices to match)',
      );
    }
    const twin = [...entry.users].find(([, unit]) => unit === unitId)?.[0];
    if (twin !== undefined) {
      throw new AgentError(
        'modbus-options',
        `devices ${twin} and ${deviceId} both use unit ${unitId} on ${key}`,
        'give every device on one bus its own unit id (set it on the device, then in options.unitId)',
      );
    }
    entry.users.set(deviceId, unitId);
    this.#entries.set(key, entry);
    let released = false;
    return {
      bus: entry.bus,
      release: async () => {
        if (released) return;
        released = true;
        entry.users.delete(deviceId);
        if (entry.users.size > 0) return;
        this.#entries.delete(key);
        await entry.bus.close();
      },
    };
  }

  /** Buses in use, by key, with their devices: for diagnostics and tests. */
  buses(): Map<string, string[]> {
    return new Map([...this.#entries].map(([key, e]) => [key, [...e.users.keys()]]));
  }
}
