export * from './model.js';
export {
  DEFAULT_FUNCTION_CARD_MODEL,
  DEFAULT_MONITOR_CARD_MODEL,
  DEFAULT_RECEIVING_CARD_MODEL,
  DEFAULT_SENDING_CARD_MODEL,
  RELAY_COUNT,
  RELAY_OFF,
} from './defaults.js';
export {
  DEFAULT_OVER_TEMPERATURE_C,
  DEFAULT_RIBBON_ERROR_BITS,
  DEFAULT_UNDER_VOLTAGE_V,
  FAULT_KINDS,
  faultId,
  type Fault,
  type FaultKind,
} from './faults.js';
export { MAX_CARDS_PER_PORT, MAX_PORTS } from './check.js';
export * from './drift.js';
export { MAX_TRANSFER, NovaStarSimulator, type SimulatorOptions } from './simulator.js';
export { MONITORING_SPAN, RELAY_BASE } from './targets.js';
export * from './client-lock.js';
export { goldenModel } from './golden.js';
