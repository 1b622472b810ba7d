/** The drivers that ship with the agent. */
import { hostDriverFactory } from './host/index.js';
import { modbusDriverFactory } from './modbus/index.js';
import { netcheckDriverFactory } from './netcheck/index.js';
import { novastarDriverFactory } from './novastar/index.js';
import { snmpDriverFactory } from './snmp/index.js';
import { syntheticDriverFactory } from './synthetic/index.js';
import { DriverRegistry } from './registry.js';

/** A fresh registry holding every built-in driver kind. */
export function builtinDrivers(): DriverRegistry {
  // One Modbus factory per registry: devices on one RS-485 bus share its connection.
  return new DriverRegistry()
    .register(hostDriverFactory())
    .register(modbusDriverFactory())
    .register(netcheckDriverFactory())
    .register(novastarDriverFactory())
    .register(snmpDriverFactory())
    .register(syntheticDriverFactory());
}
