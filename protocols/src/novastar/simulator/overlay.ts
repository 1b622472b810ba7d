/**
 * What the registers show: the model with the active faults laid over it, plus drift.
 * Pure: builds copies and never writes the model, so clearing a fault needs no undo.
 * Faults win over drift (an over-temperature card reads the fault's value exactly).
 */
import {
  DEFAULT_OVER_TEMPERATURE_C,
  DEFAULT_RIBBON_ERROR_BITS,
  DEFAULT_UNDER_VOLTAGE_V,
  isOnCard,
  type Fault,
} from './faults.js';
import type { MonitorCardState, ReceivingCardState, SendingCardState } from './model.js';
import type { InputName } from '../status.js';

const DVI_INPUTS: readonly InputName[] = ['DVI1', 'DVI2', 'DVI3', 'DVI4'];
const BACKUP = 0b10;
const MAX_TEMPERATURE_C = 127.5;

/** The sending card as read: `dvi-lost` clears the DVI signal and the DVI inputs, `redundancy-backup` sets 0b10. */
export function effectiveSendingCard(card: SendingCardState, faults: readonly Fault[]): SendingCardState {
  let view: SendingCardState = { ...card, redundancy: [...card.redundancy] };
  for (const fault of faults) {
    if (fault.kind === 'dvi-lost') {
      view = { ...view, dviSignal: false, inputs: view.inputs.filter((input) => !DVI_INPUTS.includes(input)) };
    } else if (fault.kind === 'redundancy-backup') {
      view.redundancy[fault.port] = BACKUP;
    }
  }
  return view;
}

/** The receiving card at (port, board) as read, given its faults and its drift in °C. */
export function effectiveCard(
  card: ReceivingCardState,
  at: { readonly port: number; readonly board: number },
  faults: readonly Fault[],
  driftC: number,
): ReceivingCardState {
  const monitor = card.monitorCard;
  const view: ReceivingCardState = {
    ...card,
    temperatureC: drifted(card.temperatureC, driftC),
    monitorCard: monitor && {
      ...monitor,
      temperatureC: drifted(monitor.temperatureC, driftC),
      fansRpm: [...monitor.fansRpm],
      doorsOpen: [...monitor.doorsOpen],
      ribbonErrorBits: new Set(monitor.ribbonErrorBits),
    },
  };
  for (const fault of faults) {
    if (isOnCard(fault, at.port, at.board)) applyCardFault(view, fault);
  }
  return view;
}

function applyCardFault(view: ReceivingCardState, fault: Fault): void {
  const monitor: MonitorCardState | null = view.monitorCard;
  switch (fault.kind) {
    case 'card-missing':
      view.present = false;
      return;
    case 'card-over-temperature':
      view.temperatureC = fault.temperatureC ?? DEFAULT_OVER_TEMPERATURE_C;
      return;
    case 'card-under-voltage':
      view.voltageV = fault.voltageV ?? DEFAULT_UNDER_VOLTAGE_V;
      return;
    default:
      break;
  }
  if (monitor === null) return; // checkFault refuses these faults on a card without a monitor card
  switch (fault.kind) {
    case 'fan-stopped':
      monitor.fansRpm[fault.fan] = 0;
      return;
    case 'smoke':
      monitor.smoke = true;
      return;
    case 'door-open':
      monitor.doorsOpen[fault.door] = true;
      return;
    case 'ribbon-error':
      for (const bit of fault.bits ?? DEFAULT_RIBBON_ERROR_BITS) monitor.ribbonErrorBits.add(bit);
      return;
    default:
      return;
  }
}

function drifted(celsius: number | null, driftC: number): number | null {
  if (celsius === null) return null;
  return Math.max(-MAX_TEMPERATURE_C, Math.min(MAX_TEMPERATURE_C, celsius + driftC));
}
