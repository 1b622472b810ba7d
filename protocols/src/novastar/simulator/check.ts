/**
 * Argument checks for the simulator's configuration and faults. A mistake throws a
 * `bad-field` NovaStarError naming the field and the fix, at configuration or injection
 * time rather than at the first request.
 */
import { NovaStarError } from '../errors.js';
import { type Fault, FAULT_LIMITS } from './faults.js';
import type { ControllerModel } from './model.js';

export const MAX_PORTS = 16;
export const MAX_CARDS_PER_PORT = 1024;

function checkInt(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new NovaStarError('bad-field', `${field} is ${value}, outside ${min}..${max}`, `give ${field} as an integer from ${min} to ${max}`);
  }
}

export function checkModelOptions(index: number, ports: number, cardsPerPort: number): void {
  checkInt('index', index, 0, 0xfe);
  checkInt('ports', ports, 1, MAX_PORTS);
  checkInt('cardsPerPort', cardsPerPort, 1, MAX_CARDS_PER_PORT);
}

/** Throws unless the fault names a port, card, fan, door or bit the model has. */
export function checkFault(model: ControllerModel, fault: Fault): void {
  if (fault.kind === 'dvi-lost') return;
  checkInt(`${fault.kind} port`, fault.port, 0, model.ports - 1);
  if (fault.kind === 'redundancy-backup') {
    checkInt(`${fault.kind} port`, fault.port, 0, 3); // the redundancy register holds ports 0..3
    return;
  }
  checkInt(`${fault.kind} card`, fault.card, 0, model.cardsPerPort - 1);
  switch (fault.kind) {
    case 'card-over-temperature':
      checkRange('temperatureC', fault.temperatureC, -127.5, 127.5);
      return;
    case 'card-under-voltage':
      checkRange('voltageV', fault.voltageV, 0, 12.7);
      return;
    case 'card-missing':
      return;
    case 'fan-stopped':
      checkInt('fan', fault.fan, 0, FAULT_LIMITS.fans - 1);
      break;
    case 'door-open':
      checkInt('door', fault.door, 0, FAULT_LIMITS.doors - 1);
      break;
    case 'ribbon-error':
      for (const bit of fault.bits ?? []) checkInt('ribbon bit', bit, 0, FAULT_LIMITS.ribbonBits - 1);
      break;
    case 'smoke':
      break;
  }
  if (model.cards[fault.port]?.[fault.card]?.monitorCard == null) {
    throw new NovaStarError(
      'bad-field',
      `${fault.kind} needs a monitor card, and port ${fault.port} card ${fault.card} has none`,
      'fit one (model.cards[port][card].monitorCard) or pick a card that has one',
    );
  }
}

function checkRange(field: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max)) {
    throw new NovaStarError('bad-field', `${field} is ${value}, outside ${min}..${max}`, `the register holds ${field} from ${min} to ${max}`);
  }
}
