/**
 * A reading's state from the profile's alarm hints: an alarm of severity `fault` or
 * `critical` that holds makes the device `fault`, one of severity `risk` makes it `warn`,
 * `info` changes nothing. An alarm holds when any condition it states holds: the value
 * equals `equals`, is below `below`, or above `above`. Raising and clearing the alarms
 * themselves is the hub's work; the state only tells the dashboard at a glance.
 */
import type { MetricValue } from '@ledwatch/protocols';
import type { modbus } from '@ledwatch/protocols';

export type AlarmState = 'ok' | 'warn' | 'fault';

export function alarmHolds(alarm: modbus.ModbusAlarm, value: MetricValue): boolean {
  if (alarm.equals !== undefined && value === alarm.equals) return true;
  if (typeof value !== 'number') return false;
  return (alarm.below !== undefined && value < alarm.below) || (alarm.above !== undefined && value > alarm.above);
}

/** The alarms of the profile that hold for these metrics. */
export function activeAlarms(profile: modbus.ModbusProfile, metrics: Readonly<Record<string, MetricValue>>): modbus.ModbusAlarm[] {
  return (profile.alarms ?? []).filter((alarm) => {
    const value = metrics[alarm.metric];
    return value !== undefined && alarmHolds(alarm, value);
  });
}

export function alarmState(alarms: readonly modbus.ModbusAlarm[]): AlarmState {
  if (alarms.some((a) => a.severity === 'fault' || a.severity === 'critical')) return 'fault';
  return alarms.some((a) => a.severity === 'risk') ? 'warn' : 'ok';
}
