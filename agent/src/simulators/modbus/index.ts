export { defaultValues } from './defaults.js';
export { SimulatedModbusDevice, type SimulatedDeviceSpec } from './device.js';
export { encodeProfileValues, encodeRegister, readerFromTable, registerKey, type RegisterTable } from './encode.js';
export { MODBUS_FAULT_KINDS, faultOverrides, type ModbusFault, type ModbusFaultKind } from './faults.js';
export { RtuRequestFramer } from './rtu-framer.js';
export { answerFrame, serveRtu, type RtuServerOptions, type RunningServer } from './rtu-server.js';
export {
  startModbusBusSimulator,
  startModbusSimulator,
  type ModbusBusSimulator,
  type ModbusSimulator,
  type SimulatedUnit,
  type SimulatorEndpoint,
} from './simulator.js';
export { serveTcp, type TcpServerOptions } from './tcp-server.js';
