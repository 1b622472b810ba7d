export { startSnmpAgentHost, freeUdpPort, type SimulatorUser, type SnmpAgentHost, type SnmpAgentHostOptions } from './agent-host.js';
export { startUpsSimulator, type UpsSimulator, type UpsSimulatorOptions } from './ups.js';
export { DEFAULT_UPS_VALUES, upsValuesAt, type UpsFault, type UpsValues } from './ups-model.js';
export { startSwitchSimulator, counter64, type LinkStatus, type PortCounters, type SwitchSimulator, type SwitchSimulatorOptions } from './switch.js';
