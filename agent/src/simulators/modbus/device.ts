/**
 * One simulated Modbus device: a profile, a unit id, metric values and active faults. The
 * registers are derived from the values by encoding them back through the profile, so
 * whatever a driver decodes is what the simulator was told to show. Servers (TCP, RTU)
 * read registers through {@link SimulatedModbusDevice.read}; a silent device answers nothing.
 */
import { modbus, type MetricValue } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';
import { defaultValues } from './defaults.js';
import { encodeProfileValues, registerKey, type RegisterTable } from './encode.js';
import { faultOverrides, type ModbusFault, type ModbusFaultKind } from './faults.js';

export interface SimulatedDeviceSpec {
  /** The profile, or the name of a shipped one. */
  readonly profile: modbus.ModbusProfile | string;
  /** Default: the profile's unit id, else 1. */
  readonly unitId?: number;
  /** Starting values by metric, over the defaults (see defaults.ts). */
  readonly values?: Readonly<Record<string, MetricValue>>;
}

export class SimulatedModbusDevice {
  readonly profile: modbus.ModbusProfile;
  readonly unitId: number;
  readonly #base: Record<string, MetricValue>;
  readonly #faults = new Map<ModbusFaultKind, ModbusFault>();
  #table: RegisterTable;

  constructor(spec: SimulatedDeviceSpec) {
    this.profile = typeof spec.profile === 'string' ? modbus.shippedProfile(spec.profile) : modbus.validateProfile(spec.profile);
    this.unitId = spec.unitId ?? this.profile.defaults?.unitId ?? 1;
    if (!Number.isInteger(this.unitId) || this.unitId < 1 || this.unitId > 255) {
      throw new AgentError('modbus-simulator', `unit id ${this.unitId} is outside 1..255`, 'give the simulated device a unit id from 1 to 255');
    }
    this.#base = defaultValues(this.profile);
    for (const [metric, value] of Object.entries(spec.values ?? {})) this.#checkMetric(metric, value);
    Object.assign(this.#base, spec.values);
    this.#table = encodeProfileValues(this.profile, this.values());
  }

  /** True while the `silent` fault is active: the device answers nothing. */
  get silent(): boolean {
    return this.#faults.has('silent');
  }

  /** The values the device shows now: the base values with the active faults over them. */
  values(): Record<string, MetricValue> {
    const out = { ...this.#base };
    for (const fault of this.#faults.values()) Object.assign(out, faultOverrides(fault, this.profile));
    return out;
  }

  /** Active faults, in the order they were injected. */
  faults(): ModbusFault[] {
    return [...this.#faults.values()];
  }

  /** Sets one metric's base value (a fault over it still wins until cleared). */
  set(metric: string, value: MetricValue): void {
    this.#checkMetric(metric, value);
    this.#update(() => (this.#base[metric] = value));
  }

  /** Activates a fault; injecting a kind again replaces its parameters. */
  inject(fault: ModbusFault): void {
    faultOverrides(fault, this.profile); // throws for a fault the profile cannot show
    this.#update(() => {
      this.#faults.delete(fault.kind);
      this.#faults.set(fault.kind, fault);
    });
  }

  /** Clears one fault (by kind or as injected), or every fault when none is named. */
  clear(fault?: ModbusFault | ModbusFaultKind): void {
    this.#update(() => {
      if (fault === undefined) this.#faults.clear();
      else this.#faults.delete(typeof fault === 'string' ? fault : fault.kind);
    });
  }

  /** The raw register at (function, address), 0/1 for bits; undefined when the profile has none there. */
  readonly read: modbus.RegisterReader = (fn, address) => this.#table.get(registerKey(fn, address));

  #checkMetric(metric: string, value: MetricValue): void {
    const reg = this.profile.registers.find((r) => r.metric === metric);
    if (reg === undefined) {
      throw new AgentError(
        'modbus-simulator',
        `profile "${this.profile.name}" has no metric "${metric}"`,
        `use one of: ${this.profile.registers.map((r) => r.metric).join(', ')}`,
      );
    }
    encodeProfileValues({ ...this.profile, registers: [reg] }, { [metric]: value }); // throws when it does not fit
  }

  /** Applies a change only if the resulting values still encode. */
  #update(change: () => void): void {
    const base = { ...this.#base };
    const faults = new Map(this.#faults);
    change();
    try {
      this.#table = encodeProfileValues(this.profile, this.values());
    } catch (err) {
      Object.assign(this.#base, base);
      this.#faults.clear();
      for (const [k, f] of faults) this.#faults.set(k, f);
      throw err;
    }
  }
}
