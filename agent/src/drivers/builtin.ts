/** The drivers that ship with the agent. */
import { hostDriverFactory } from './host/index.js';
import { netcheckDriverFactory } from './netcheck/index.js';
import { snmpDriverFactory } from './snmp/index.js';
import { DriverRegistry } from './registry.js';

/** A fresh registry holding every built-in driver kind. */
export function builtinDrivers(): DriverRegistry {
  return new DriverRegistry().register(hostDriverFactory()).register(netcheckDriverFactory()).register(snmpDriverFactory());
}
