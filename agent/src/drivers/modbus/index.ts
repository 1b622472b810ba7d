export { ModbusBus, type ModbusBusOptions } from './bus.js';
export { ModbusBusRegistry, type BusLease } from './bus-registry.js';
export { ModbusDriver, modbusDriverFactory, type ModbusDriverFactoryOptions } from './driver.js';
export {
  ModbusOptionsSchema,
  busKey,
  describeSerial,
  resolveModbusSetup,
  type BusEndpoint,
  type ModbusDeviceSetup,
  type ModbusOptions,
  type SerialSettings,
} from './options.js';
export { loadProfileFile } from './profile-file.js';
export { openHint, toRequestError, type BlockRequest } from './request-errors.js';
export { activeAlarms, alarmHolds, alarmState, type AlarmState } from './state.js';
