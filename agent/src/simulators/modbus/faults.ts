/**
 * Faults a simulated Modbus device can show at run time. Each fault overrides some metric
 * values (the ones of its kind the profile defines) while it is active; `silent` makes the
 * device stop answering, like one unplugged from the bus.
 */
import { modbus, type MetricValue } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';

export type ModbusFault =
  /** Output below its set point: `outputVoltageV` drops (default 4.3 V) and `underVoltage` is set. */
  | { readonly kind: 'psu-under-voltage'; readonly outputVoltageV?: number }
  /** Over-temperature protection: `temperatureC` rises (default 85 °C) and `overTemperature` is set. */
  | { readonly kind: 'psu-over-temperature'; readonly temperatureC?: number }
  /** The cooling fan stopped: `fanFail` is set. */
  | { readonly kind: 'psu-fan-fail' }
  /** Condensation risk in the cabinet: `humidityPct` rises (default 92.5 %). */
  | { readonly kind: 'sensor-high-humidity'; readonly humidityPct?: number }
  /** The device stops answering. */
  | { readonly kind: 'silent' };

export type ModbusFaultKind = ModbusFault['kind'];

export const MODBUS_FAULT_KINDS: readonly ModbusFaultKind[] = ['psu-under-voltage', 'psu-over-temperature', 'psu-fan-fail', 'sensor-high-humidity', 'silent'];

/** The metric values a fault imposes on a device with this profile. */
export function faultOverrides(fault: ModbusFault, profile: modbus.ModbusProfile): Record<string, MetricValue> {
  const wanted = wantedValues(fault);
  const metrics = new Set(profile.registers.map((r) => r.metric));
  const applied = Object.fromEntries(Object.entries(wanted).filter(([metric]) => metrics.has(metric)));
  if (fault.kind !== 'silent' && Object.keys(applied).length === 0) {
    throw new AgentError(
      'modbus-simulator',
      `fault ${fault.kind} needs metric ${Object.keys(wanted).join(' or ')}, which profile "${profile.name}" does not define`,
      'inject PSU faults into a PSU profile and sensor faults into a sensor profile',
    );
  }
  return applied;
}

function wantedValues(fault: ModbusFault): Record<string, MetricValue> {
  switch (fault.kind) {
    case 'psu-under-voltage':
      return { outputVoltageV: fault.outputVoltageV ?? 4.3, underVoltage: true };
    case 'psu-over-temperature':
      return { temperatureC: fault.temperatureC ?? 85, overTemperature: true };
    case 'psu-fan-fail':
      return { fanFail: true };
    case 'sensor-high-humidity':
      return { humidityPct: fault.humidityPct ?? 92.5 };
    case 'silent':
      return {};
  }
}
