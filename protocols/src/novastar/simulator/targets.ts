/**
 * The register space of each card the simulator answers for, built from the model's
 * effective view (faults and drift applied) with the codec's encoders. Writable
 * registers write back to the model itself, never to the view.
 */
import { MONITORING_BASE, encodeReceivingCardMonitoring, type MonitoringValues } from '../monitoring.js';
import { REGISTERS } from '../registers.js';
import { RELAY_COUNT } from './defaults.js';
import type { FunctionCardState, ReceivingCardState, SendingCardState } from './model.js';
import type { Region, RegisterSpace } from './space.js';

/** Relays of an MFN300 function card, one byte each, 0 on, 1 off. */
export const RELAY_BASE = 0x05000010;
/** The vendor tool reads the monitoring block 256 bytes at a time; all of it is served. */
export const MONITORING_SPAN = 256;

function region(def: { readonly address: number }, bytes: Uint8Array, write?: (bytes: Uint8Array) => void): Region {
  return write === undefined ? { address: def.address, bytes } : { address: def.address, bytes, write };
}

function relays(card: FunctionCardState): Region {
  return { address: RELAY_BASE, bytes: Uint8Array.from(card.relays), write: (bytes) => (card.relays = Array.from(bytes.subarray(0, RELAY_COUNT))) };
}

/**
 * The sending card. The relay registers appear here too: the vendor's relay example
 * writes 0x05000010 with deviceType 0, so they are shared with the function card.
 */
export function sendingCardSpace(model: SendingCardState, view: SendingCardState, functionCard: FunctionCardState): RegisterSpace {
  const r = REGISTERS;
  const ports = view.redundancy.slice(0, 4).map((bits) => ({ bits })); // the register holds ports 0..3
  return {
    memory: model.memory,
    regions: [
      region(r.sendingCardModel, r.sendingCardModel.encode(view.modelId)),
      region(r.controllerSerial, r.controllerSerial.encode(view.serial)),
      region(r.sendingCardFpgaVersion, r.sendingCardFpgaVersion.encode(view.fpgaVersion)),
      region(r.dviSignal, r.dviSignal.encode({ signal: view.dviSignal })),
      region(r.inputBitmap, r.inputBitmap.encode({ present: view.inputs })),
      region(r.selectedInput, r.selectedInput.encode({ code: view.selectedInput }), (bytes) => (model.selectedInput = bytes[0] ?? 0)),
      region(r.redundancy, r.redundancy.encode(ports)),
      region(r.ambientLight, r.ambientLight.encode({ lux: view.ambientLux })),
      relays(functionCard),
    ],
  };
}

export function receivingCardSpace(model: ReceivingCardState, view: ReceivingCardState): RegisterSpace {
  const r = REGISTERS;
  return {
    memory: model.memory,
    regions: [
      region(r.receivingCardIdentity, r.receivingCardIdentity.encode({ modelId: view.modelId, fpgaVersion: view.fpgaVersion })),
      { address: MONITORING_BASE, bytes: encodeReceivingCardMonitoring(monitoringValues(view), MONITORING_SPAN) },
      region(r.brightness, r.brightness.encode(view.brightness), (bytes) => (model.brightness = r.brightness.decode(bytes))),
    ],
  };
}

export function functionCardSpace(card: FunctionCardState): RegisterSpace {
  const r = REGISTERS;
  return { memory: card.memory, regions: [region(r.functionCardModel, r.functionCardModel.encode(card.modelId)), relays(card)] };
}

function monitoringValues(card: ReceivingCardState): MonitoringValues {
  const base = { temperatureC: card.temperatureC, humidityPct: card.humidityPct, voltageV: card.voltageV };
  const monitor = card.monitorCard;
  if (monitor === null) return { ...base, monitorCard: { present: false } };
  return {
    ...base,
    monitorCard: {
      present: true,
      model: monitor.model,
      firmware: monitor.firmware,
      temperatureC: monitor.temperatureC,
      humidity: monitor.humidity,
      smoke: monitor.smoke,
      fansRpm: monitor.fansRpm,
      voltagesV: monitor.voltagesV,
      doorsOpen: monitor.doorsOpen,
      ribbonErrorBits: [...monitor.ribbonErrorBits].sort((a, b) => a - b),
    },
  };
}
