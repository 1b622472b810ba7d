export { SnmpDriver, snmpDriverFactory, INVENTORY_TIMEOUT_MS } from './driver.js';
export { SnmpClient, withSnmpClient, MAX_COLUMN_ROWS } from './client.js';
export { SnmpOptionsSchema, SnmpV3Schema, SNMP_PROFILES, checkSnmpOptions, type SnmpOptions, type SnmpProfileName, type SnmpV3Options } from './options.js';
export { UPS_CAPABILITIES, upsState } from './ups.js';
export { IF_CAPABILITIES } from './interfaces.js';
