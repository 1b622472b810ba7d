/**
 * Values a simulated device starts with: realistic ones for the shipped profiles (a 5 V
 * LED supply at 38 °C; the sensor reading of the reference RTU vector, 30.5 °C and
 * 54.6 %), else what raw 0 reads as
 * (false, the offset, or the first state name).
 */
import { modbus, type MetricValue } from '@ledwatch/protocols';

const SHIPPED_DEFAULTS: Readonly<Record<string, Readonly<Record<string, MetricValue>>>> = {
  'led-psu-generic': {
    outputVoltageV: 5,
    outputCurrentA: 31.2,
    temperatureC: 38,
    inputVoltageV: 230.4,
    fault: false,
    overTemperature: false,
    underVoltage: false,
    fanFail: false,
    runtimeH: 12_840,
  },
  'xy-md02': { temperatureC: 30.5, humidityPct: 54.6 },
  'eastron-sdm630': {
    l1VoltageV: 230.1,
    l2VoltageV: 229.8,
    l3VoltageV: 231.2,
    l1CurrentA: 4.2,
    l2CurrentA: 3.9,
    l3CurrentA: 4.4,
    l1PowerW: 966.4,
    l2PowerW: 896.2,
    l3PowerW: 1017.3,
    totalPowerW: 2879.9,
    frequencyHz: 50,
    importEnergyKWh: 18_342.5,
    totalEnergyKWh: 18_342.5,
  },
};

export function defaultValues(profile: modbus.ModbusProfile): Record<string, MetricValue> {
  const shipped = SHIPPED_DEFAULTS[profile.name] ?? {};
  const out: Record<string, MetricValue> = {};
  for (const reg of profile.registers) out[reg.metric] = shipped[reg.metric] ?? zero(reg);
  return out;
}

function zero(reg: modbus.ModbusRegister): MetricValue {
  if (reg.states !== undefined) return Object.values(reg.states)[0] ?? 0;
  return modbus.metricKind(reg) === 'boolean' ? false : (reg.offset ?? 0); // raw 0
}
