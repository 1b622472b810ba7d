import { describe, expect, it } from 'vitest';
import { SimulatedModbusDevice } from './device.js';

const psu = () => new SimulatedModbusDevice({ profile: 'led-psu-generic' });
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('a simulated Modbus device', () => {
  it('starts with realistic values and the profile’s unit id', () => {
    const device = psu();
    expect(device.unitId).toBe(1);
    expect(device.values()).toMatchObject({ outputVoltageV: 5, temperatureC: 38, underVoltage: false });
    expect(device.read('input', 0)).toBe(500);
    expect(device.read('input', 2)).toBe(380);
  });

  it('overlays a fault on the values and restores them when the fault clears', () => {
    const device = psu();
    device.inject({ kind: 'psu-under-voltage' });
    expect(device.values()).toMatchObject({ outputVoltageV: 4.3, underVoltage: true });
    expect(device.read('input', 4)).toBe(0b0100);
    device.clear('psu-under-voltage');
    expect(device.values()).toMatchObject({ outputVoltageV: 5, underVoltage: false });
    expect(device.read('input', 4)).toBe(0);
  });

  it('keeps a fault over a value set meanwhile, and shows the set value once it clears', () => {
    const device = psu();
    device.inject({ kind: 'psu-over-temperature', temperatureC: 90 });
    device.set('temperatureC', 41);
    expect(device.values().temperatureC).toBe(90);
    device.clear();
    expect(device.values().temperatureC).toBe(41);
  });

  it('goes silent and back', () => {
    const device = psu();
    device.inject({ kind: 'silent' });
    expect(device.silent).toBe(true);
    expect(device.faults()).toEqual([{ kind: 'silent' }]);
    device.clear({ kind: 'silent' });
    expect(device.silent).toBe(false);
  });

  it('refuses unknown metrics, values that do not fit, and faults the profile cannot show', () => {
    const device = psu();
    expect(codeOf(() => device.set('humidityPct', 50))).toBe('modbus-simulator');
    expect(codeOf(() => device.set('outputVoltageV', 1000))).toBe('modbus-simulator');
    expect(codeOf(() => device.inject({ kind: 'sensor-high-humidity' }))).toBe('modbus-simulator');
    expect(codeOf(() => new SimulatedModbusDevice({ profile: 'xy-md02', values: { voltage: 1 } }))).toBe('modbus-simulator');
    expect(device.values().outputVoltageV).toBe(5);
  });

  it('rolls back a fault whose values the registers cannot hold', () => {
    const device = psu();
    expect(codeOf(() => device.inject({ kind: 'psu-under-voltage', outputVoltageV: -3 }))).toBe('modbus-simulator');
    expect(device.faults()).toEqual([]);
    expect(device.read('input', 0)).toBe(500);
  });
});
