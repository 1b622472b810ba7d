import { modbus } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { activeAlarms, alarmHolds, alarmState } from './state.js';

const psu = modbus.shippedProfile('led-psu-generic');
const healthy = { outputVoltageV: 5, temperatureC: 38, fault: false, overTemperature: false, underVoltage: false, fanFail: false };

describe('reading state from the profile alarms', () => {
  it('is ok when no alarm holds', () => {
    expect(alarmState(activeAlarms(psu, healthy))).toBe('ok');
  });

  it('is fault when an alarm of severity fault holds, such as a set fault bit', () => {
    expect(alarmState(activeAlarms(psu, { ...healthy, fault: true }))).toBe('fault');
    expect(activeAlarms(psu, { ...healthy, underVoltage: true }).map((a) => a.type)).toEqual(['psu-under-voltage']);
  });

  it('is warn when only risk alarms hold, such as a stopped fan or a hot supply', () => {
    expect(alarmState(activeAlarms(psu, { ...healthy, fanFail: true }))).toBe('warn');
    expect(alarmState(activeAlarms(psu, { ...healthy, temperatureC: 76 }))).toBe('warn');
  });

  it('takes fault over warn when both hold', () => {
    expect(alarmState(activeAlarms(psu, { ...healthy, fanFail: true, overTemperature: true }))).toBe('fault');
  });

  it('holds an alarm when any of its conditions holds, and never for a metric that was not read', () => {
    const band: modbus.ModbusAlarm = { metric: 'v', below: 4.75, above: 5.25, severity: 'risk', type: 'psu-out-of-band' };
    expect([alarmHolds(band, 4.7), alarmHolds(band, 5), alarmHolds(band, 5.3), alarmHolds(band, 'n/a')]).toEqual([true, false, true, false]);
    expect(activeAlarms(psu, {})).toEqual([]);
  });
});
