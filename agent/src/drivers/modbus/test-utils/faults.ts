/**
 * The fault scenarios every transport runs: the simulator injects a fault at run time, the
 * driver's next reading shows it (values and state), and clearing it brings the device back.
 */
import type { Reading } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusFault, SimulatedUnit } from '../../../simulators/modbus/index.js';
import type { Driver } from '../../types.js';
import { pollOnce, rejectionOf } from './setup.js';

export interface FaultRig {
  driver: Driver;
  sim: SimulatedUnit;
  cleanup(): Promise<void>;
}

interface FaultCase {
  fault: ModbusFault;
  profile: 'led-psu-generic' | 'xy-md02';
  shows: Reading['metrics'];
  state: Reading['state'];
}

const CASES: FaultCase[] = [
  { fault: { kind: 'psu-under-voltage', outputVoltageV: 4.1 }, profile: 'led-psu-generic', shows: { outputVoltageV: 4.1, underVoltage: true, fault: false }, state: 'fault' },
  { fault: { kind: 'psu-over-temperature' }, profile: 'led-psu-generic', shows: { temperatureC: 85, overTemperature: true }, state: 'fault' },
  { fault: { kind: 'psu-fan-fail' }, profile: 'led-psu-generic', shows: { fanFail: true, temperatureC: 38 }, state: 'warn' },
  { fault: { kind: 'sensor-high-humidity' }, profile: 'xy-md02', shows: { humidityPct: 92.5, temperatureC: 30.5 }, state: 'warn' },
];

export function describeFaultReadings(name: string, start: (profile: FaultCase['profile']) => Promise<FaultRig>): void {
  describe(`${name}: faults injected at run time`, () => {
    const rigs: FaultRig[] = [];
    const rig = async (profile: FaultCase['profile']): Promise<FaultRig> => {
      const r = await start(profile);
      rigs.push(r);
      return r;
    };
    afterEach(async () => {
      for (const r of rigs.splice(0)) {
        await r.driver.close();
        await r.cleanup();
      }
    });

    it.each(CASES)('shows $fault.kind in the next reading and recovers when it clears', async ({ fault, profile, shows, state }) => {
      const { driver, sim } = await rig(profile);
      expect((await pollOnce(driver)).state).toBe('ok');
      sim.inject(fault);
      const faulty = await pollOnce(driver);
      expect(faulty.metrics).toMatchObject(shows);
      expect(faulty.state).toBe(state);
      sim.clear(fault.kind);
      const healthy = await pollOnce(driver);
      expect(healthy.state).toBe('ok');
      expect(healthy.metrics).toEqual(sim.values());
    });

    it('rejects the poll with a timeout while the device is silent, and reads it again afterwards', async () => {
      const { driver, sim } = await rig('led-psu-generic');
      await pollOnce(driver);
      sim.inject({ kind: 'silent' });
      expect((await rejectionOf(pollOnce(driver))).code).toBe('modbus-timeout');
      sim.clear('silent');
      expect((await pollOnce(driver)).metrics).toMatchObject({ outputVoltageV: 5, temperatureC: 38 });
    });

    it('reads a value set on the simulator while it runs', async () => {
      const { driver, sim } = await rig('led-psu-generic');
      sim.set('outputVoltageV', 5.12);
      sim.set('runtimeH', 70_000);
      expect((await pollOnce(driver)).metrics).toMatchObject({ outputVoltageV: 5.12, runtimeH: 70_000 });
    });
  });
}
