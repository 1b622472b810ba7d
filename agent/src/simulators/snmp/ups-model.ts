/**
 * What the simulated UPS reports, as UPS-MIB (RFC 1628) objects in their raw units, and
 * how faults change it over time. Pure: the simulator asks for the values at a time.
 *
 * - `ups-on-battery` (mains lost at the injection time): output source battery, input
 *   voltage and frequency 0, upsSecondsOnBattery counting up, minutes remaining and charge
 *   falling linearly to empty over the configured runtime, one input line bad, one alarm;
 *   once 2 minutes or less remain the battery status turns low on its own.
 * - `ups-low-battery`: battery status low, charge at most 15 %, at most 3 minutes left, one alarm.
 * - `ups-silent`: no value changes; the agent stops answering.
 */

export type UpsFault = 'ups-on-battery' | 'ups-low-battery' | 'ups-silent';

/** Raw values, named as the UPS-MIB objects. */
export interface UpsValues {
  upsIdentManufacturer: string;
  upsIdentModel: string;
  upsIdentUPSSoftwareVersion: string;
  upsIdentAgentSoftwareVersion: string;
  upsIdentName: string;
  /** 1 unknown, 2 normal, 3 low, 4 depleted. */
  upsBatteryStatus: number;
  upsSecondsOnBattery: number;
  upsEstimatedMinutesRemaining: number;
  /** Percent. */
  upsEstimatedChargeRemaining: number;
  /** 0.1 V DC. */
  upsBatteryVoltage: number;
  /** °C. */
  upsBatteryTemperature: number;
  upsInputLineBads: number;
  /** 0.1 Hz, input line 1. */
  upsInputFrequency: number;
  /** RMS V, input line 1. */
  upsInputVoltage: number;
  /** 1 other, 2 none, 3 normal, 4 bypass, 5 battery, 6 booster, 7 reducer. */
  upsOutputSource: number;
  /** 0.1 Hz. */
  upsOutputFrequency: number;
  /** RMS V, output line 1. */
  upsOutputVoltage: number;
  /** 0.1 A RMS, output line 1. */
  upsOutputCurrent: number;
  /** W, output line 1. */
  upsOutputPower: number;
  /** Percent of rated load, output line 1. */
  upsOutputPercentLoad: number;
  upsAlarmsPresent: number;
}

export const DEFAULT_UPS_VALUES: Readonly<UpsValues> = {
  upsIdentManufacturer: 'ledwatch',
  upsIdentModel: 'SimUPS 3000',
  upsIdentUPSSoftwareVersion: '2.4.1',
  upsIdentAgentSoftwareVersion: 'net-snmp agent',
  upsIdentName: 'ups-sim',
  upsBatteryStatus: 2,
  upsSecondsOnBattery: 0,
  upsEstimatedMinutesRemaining: 45,
  upsEstimatedChargeRemaining: 100,
  upsBatteryVoltage: 545,
  upsBatteryTemperature: 25,
  upsInputLineBads: 0,
  upsInputFrequency: 500,
  upsInputVoltage: 230,
  upsOutputSource: 3,
  upsOutputFrequency: 500,
  upsOutputVoltage: 230,
  upsOutputCurrent: 48,
  upsOutputPower: 990,
  upsOutputPercentLoad: 33,
  upsAlarmsPresent: 0,
};

const LOW_MINUTES = 2;

/** `base` as the UPS reports it at `now`, with the active faults (fault → when injected, ms). */
export function upsValuesAt(base: Readonly<UpsValues>, faults: ReadonlyMap<UpsFault, number>, now: number): UpsValues {
  const v = { ...base };
  const since = faults.get('ups-on-battery');
  if (since !== undefined) {
    const elapsedS = Math.max(0, Math.floor((now - since) / 1000));
    const runtimeS = base.upsEstimatedMinutesRemaining * 60;
    const leftS = Math.max(0, runtimeS - elapsedS);
    Object.assign(v, {
      upsOutputSource: 5,
      upsInputVoltage: 0,
      upsInputFrequency: 0,
      upsSecondsOnBattery: elapsedS,
      upsEstimatedMinutesRemaining: Math.floor(leftS / 60),
      upsEstimatedChargeRemaining: runtimeS === 0 ? 0 : Math.round((base.upsEstimatedChargeRemaining * leftS) / runtimeS),
      upsInputLineBads: base.upsInputLineBads + 1,
      upsAlarmsPresent: v.upsAlarmsPresent + 1,
    });
    if (leftS === 0) v.upsBatteryStatus = 4;
    else if (leftS <= LOW_MINUTES * 60) v.upsBatteryStatus = 3;
  }
  if (faults.has('ups-low-battery')) {
    v.upsBatteryStatus = v.upsBatteryStatus === 4 ? 4 : 3;
    v.upsEstimatedChargeRemaining = Math.min(v.upsEstimatedChargeRemaining, 15);
    v.upsEstimatedMinutesRemaining = Math.min(v.upsEstimatedMinutesRemaining, 3);
    v.upsAlarmsPresent += 1;
  }
  return v;
}
