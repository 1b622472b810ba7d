/**
 * Realistic default readings, deterministic from the card's position so two runs (and two
 * cards) never need a random source: card temperatures 35–40 °C, card voltages 4.9–5.1 V,
 * fans 2900–3100 rpm. Every value sits on the wire's grid (0.5 °C, 0.1 V, 50 rpm), so
 * what a client decodes equals what is set here.
 */
import type { FunctionCardState, MonitorCardState, ReceivingCardState, SendingCardState } from './model.js';

/** MCTRL660 Pro. */
export const DEFAULT_SENDING_CARD_MODEL = 0x1107;
/** The receiving-card model id the reference names. */
export const DEFAULT_RECEIVING_CARD_MODEL = 0x4101;
/** MFN300. */
export const DEFAULT_FUNCTION_CARD_MODEL = 0x8101;
/**
 * The reference names no monitor-card model ids; this one is made up and only has to
 * round-trip.
 */
export const DEFAULT_MONITOR_CARD_MODEL = 0x0201;
/** Relay value "off" (the reference: 0 on, 1 off). */
export const RELAY_OFF = 1;
export const RELAY_COUNT = 8;

export function defaultSendingCard(ports: number): SendingCardState {
  return {
    modelId: DEFAULT_SENDING_CARD_MODEL,
    serial: '4e4f564153494d31', // "NOVASIM1" in ASCII
    fpgaVersion: '4.3.0.0',
    dviSignal: true,
    inputs: ['DVI1'],
    selectedInput: 0x58, // DVI, as in the vendor's example
    redundancy: new Array<number>(ports).fill(0),
    ambientLux: 400,
    memory: new Map(),
  };
}

export function defaultCard(port: number, board: number, withMonitorCard: boolean): ReceivingCardState {
  const temperatureC = 35 + ((port * 5 + board * 3) % 11) * 0.5;
  return {
    present: true,
    modelId: DEFAULT_RECEIVING_CARD_MODEL,
    fpgaVersion: '4.6.1.0',
    temperatureC,
    humidityPct: 40 + ((port + board) % 6),
    voltageV: (49 + ((port * 2 + board) % 3)) / 10,
    brightness: { global: 0xff, red: 0xff, green: 0xff, blue: 0xff, virtualRed: 0xff },
    monitorCard: withMonitorCard ? defaultMonitorCard(board, temperatureC) : null,
    memory: new Map(),
  };
}

function defaultMonitorCard(board: number, cardTemperatureC: number): MonitorCardState {
  return {
    model: DEFAULT_MONITOR_CARD_MODEL,
    firmware: '1.0.0.0',
    temperatureC: cardTemperatureC - 4, // the cabinet air runs cooler than the card
    humidity: 45 + (board % 4),
    smoke: false,
    fansRpm: Array.from({ length: 4 }, (_, fan) => 2900 + ((board + fan) % 5) * 50),
    voltagesV: Array.from({ length: 9 }, (_, i) => (49 + ((board + i) % 3)) / 10),
    doorsOpen: [false, false],
    ribbonErrorBits: new Set(),
  };
}

export function defaultFunctionCard(): FunctionCardState {
  return {
    present: true,
    modelId: DEFAULT_FUNCTION_CARD_MODEL,
    relays: new Array<number>(RELAY_COUNT).fill(RELAY_OFF),
    memory: new Map(),
  };
}
