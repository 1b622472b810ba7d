/**
 * UPS-MIB (RFC 1628), under 1.3.6.1.2.1.33.1: the standard MIB most UPS network cards
 * speak. Scalars for identity, battery, input and output; the input and output tables
 * give one row per line (phase), as components `in<line>` and `out<line>`.
 *
 * Derived: `onBattery` (output source is battery, or seconds on battery > 0) and
 * `lowBattery` (battery status low or depleted); each is left out when the metrics it
 * is computed from are all missing.
 */
import type { MetricValue } from '../contract/payloads.js';
import type { SnmpProfile } from './profile.js';

export const UPS_MIB_ROOT = '1.3.6.1.2.1.33.1';
const U = UPS_MIB_ROOT;

export const BATTERY_STATUS = { '1': 'unknown', '2': 'normal', '3': 'low', '4': 'depleted' } as const;

export const OUTPUT_SOURCE = { '1': 'other', '2': 'none', '3': 'normal', '4': 'bypass', '5': 'battery', '6': 'booster', '7': 'reducer' } as const;

export function deriveUpsMetrics(m: Readonly<Record<string, MetricValue>>): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  const source = m.outputSource;
  const seconds = m.secondsOnBattery;
  if (source !== undefined || seconds !== undefined) {
    out.onBattery = source === 'battery' || (typeof seconds === 'number' && seconds > 0);
  }
  if (m.batteryStatus !== undefined) out.lowBattery = m.batteryStatus === 'low' || m.batteryStatus === 'depleted';
  return out;
}

export const UPS_MIB: SnmpProfile = {
  name: 'ups-mib',
  description: 'UPS-MIB (RFC 1628): battery, input, output and alarms of a UPS network card',
  scalars: [
    { oid: `${U}.1.1.0`, metric: 'manufacturer', type: 'string', description: 'upsIdentManufacturer' },
    { oid: `${U}.1.2.0`, metric: 'model', type: 'string', description: 'upsIdentModel' },
    { oid: `${U}.1.3.0`, metric: 'softwareVersion', type: 'string', description: 'upsIdentUPSSoftwareVersion' },
    { oid: `${U}.2.1.0`, metric: 'batteryStatus', type: 'integer', states: BATTERY_STATUS, description: 'upsBatteryStatus' },
    { oid: `${U}.2.2.0`, metric: 'secondsOnBattery', type: 'integer', description: 'upsSecondsOnBattery; 0 when on mains' },
    { oid: `${U}.2.3.0`, metric: 'minutesRemaining', type: 'integer', description: 'upsEstimatedMinutesRemaining' },
    { oid: `${U}.2.4.0`, metric: 'chargePct', type: 'integer', description: 'upsEstimatedChargeRemaining, %' },
    { oid: `${U}.2.5.0`, metric: 'batteryVoltageV', type: 'integer', scale: 0.1, description: 'upsBatteryVoltage, 0.1 V DC' },
    { oid: `${U}.2.7.0`, metric: 'batteryTemperatureC', type: 'integer', description: 'upsBatteryTemperature, °C' },
    { oid: `${U}.3.1.0`, metric: 'inputLineBads', type: 'counter', description: 'upsInputLineBads: times the input went out of tolerance' },
    { oid: `${U}.4.1.0`, metric: 'outputSource', type: 'integer', states: OUTPUT_SOURCE, description: 'upsOutputSource' },
    { oid: `${U}.4.2.0`, metric: 'outputFrequencyHz', type: 'integer', scale: 0.1, description: 'upsOutputFrequency, 0.1 Hz' },
    { oid: `${U}.6.1.0`, metric: 'alarmsPresent', type: 'gauge', description: 'upsAlarmsPresent: rows in the alarm table' },
  ],
  tables: [
    {
      name: 'input',
      baseOid: `${U}.3.3.1`,
      index: 'upsInputLineIndex',
      component: { prefix: 'in' },
      columns: [
        { column: 2, metric: 'frequencyHz', type: 'integer', scale: 0.1, description: 'upsInputFrequency, 0.1 Hz' },
        { column: 3, metric: 'voltageV', type: 'integer', description: 'upsInputVoltage, RMS V' },
      ],
    },
    {
      name: 'output',
      baseOid: `${U}.4.4.1`,
      index: 'upsOutputLineIndex',
      component: { prefix: 'out' },
      columns: [
        { column: 2, metric: 'voltageV', type: 'integer', description: 'upsOutputVoltage, RMS V' },
        { column: 3, metric: 'currentA', type: 'integer', scale: 0.1, description: 'upsOutputCurrent, 0.1 A' },
        { column: 4, metric: 'powerW', type: 'integer', description: 'upsOutputPower, W' },
        { column: 5, metric: 'loadPct', type: 'integer', description: 'upsOutputPercentLoad, % of rated capacity' },
      ],
    },
  ],
  derive: deriveUpsMetrics,
};
