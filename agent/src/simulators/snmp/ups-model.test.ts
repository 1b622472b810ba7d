import { describe, expect, it } from 'vitest';
import { DEFAULT_UPS_VALUES, upsValuesAt, type UpsFault } from './ups-model.js';

const T0 = 1_750_000_000_000;
const at = (faults: [UpsFault, number][], now: number) => upsValuesAt(DEFAULT_UPS_VALUES, new Map(faults), now);

describe('simulated UPS values', () => {
  it('are a healthy UPS on mains without faults', () => {
    expect(at([], T0)).toEqual(DEFAULT_UPS_VALUES);
    expect(DEFAULT_UPS_VALUES).toMatchObject({
      upsBatteryStatus: 2, // normal
      upsEstimatedChargeRemaining: 100,
      upsEstimatedMinutesRemaining: 45,
      upsInputVoltage: 230,
      upsOutputSource: 3, // normal
      upsAlarmsPresent: 0,
    });
  });

  it('run the battery down linearly over the runtime once mains is lost', () => {
    expect(at([['ups-on-battery', T0]], T0 + 900_000)).toMatchObject({
      upsOutputSource: 5, // battery
      upsInputVoltage: 0,
      upsInputFrequency: 0,
      upsSecondsOnBattery: 900,
      upsEstimatedMinutesRemaining: 30,
      upsEstimatedChargeRemaining: 67,
      upsInputLineBads: 1,
      upsAlarmsPresent: 1,
      upsBatteryStatus: 2,
    });
  });

  it('turn the battery low with two minutes left and depleted at the end', () => {
    expect(at([['ups-on-battery', T0]], T0 + 43 * 60_000).upsBatteryStatus).toBe(3);
    expect(at([['ups-on-battery', T0]], T0 + 50 * 60_000)).toMatchObject({ upsBatteryStatus: 4, upsEstimatedChargeRemaining: 0, upsEstimatedMinutesRemaining: 0 });
  });

  it('cap charge and runtime on an injected low battery and raise an alarm', () => {
    expect(at([['ups-low-battery', T0]], T0)).toMatchObject({ upsBatteryStatus: 3, upsEstimatedChargeRemaining: 15, upsEstimatedMinutesRemaining: 3, upsAlarmsPresent: 1 });
  });

  it('do not change while the UPS is merely silent', () => {
    expect(at([['ups-silent', T0]], T0 + 60_000)).toEqual(DEFAULT_UPS_VALUES);
  });
});
