export * from './errors.js';
export * from './contract/index.js';
export * from './config/index.js';
export * as novastar from './novastar/index.js';
export * as modbus from './modbus/index.js';
export * as snmp from './snmp/index.js';
export * from './schema-errors.js';
export * from './release/index.js';
