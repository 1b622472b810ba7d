/**
 * The state a simulated NovaStar controller answers from: one sending card, `ports` output
 * ports with `cardsPerPort` receiving cards each (most with a monitor card), and an
 * optional function card. Plain mutable data: the simulator reads it for every request,
 * writes (brightness, selected input, relays) change it, and tests or a demo may change it
 * directly. Faults and drift are overlays kept by the simulator, never written here.
 *
 * Values are in the units the codec decodes to (°C, %RH, V, rpm, lux); the register bytes
 * are derived from them with the codec's encoders.
 */
import type { Brightness, InputName } from '../status.js';
import { checkModelOptions } from './check.js';
import { defaultCard, defaultFunctionCard, defaultSendingCard } from './defaults.js';

export interface SendingCardState {
  /** u16 model id, e.g. 0x1107 MCTRL660 Pro. */
  modelId: number;
  /** Controller serial, 16 hex digits in wire order (the codec's form). */
  serial: string;
  /** a.b.c.d */
  fpgaVersion: string;
  /** DVI signal register: true = a signal on the DVI input. */
  dviSignal: boolean;
  /** Inputs with a signal (input bitmap register). */
  inputs: InputName[];
  /** Selected-input code (0x58 DVI, 0x05 HDMI in the vendor's examples). */
  selectedInput: number;
  /** Redundancy bits per port (0b10 = running on the backup path); the register holds ports 0..3. */
  redundancy: number[];
  /** Ambient light sensor, null when none is fitted (valid bit clear). */
  ambientLux: number | null;
  /** Bytes written to, or preset at, addresses no modelled register covers. */
  memory: Map<number, number>;
}

export interface MonitorCardState {
  /** u16 model id. */
  model: number;
  /** a.b.c.d */
  firmware: string;
  temperatureC: number | null;
  humidity: number | null;
  smoke: boolean;
  /** Four fans, null where none is fitted. */
  fansRpm: (number | null)[];
  /** Nine voltages, null where not measured. */
  voltagesV: (number | null)[];
  /** Door 1, door 2. */
  doorsOpen: [boolean, boolean];
  /** Ribbon-cable bits (0..127) that read 1. */
  ribbonErrorBits: Set<number>;
}

export interface ReceivingCardState {
  /** false: the card does not answer (ack 1), like a card that lost power or data. */
  present: boolean;
  /** u16 model id, e.g. 0x4101. */
  modelId: number;
  fpgaVersion: string;
  temperatureC: number | null;
  humidityPct: number | null;
  voltageV: number | null;
  brightness: Brightness;
  /** null when no monitor card is fitted. */
  monitorCard: MonitorCardState | null;
  memory: Map<number, number>;
}

export interface FunctionCardState {
  present: boolean;
  /** u16 model id, e.g. 0x8101 MFN300. */
  modelId: number;
  /** Relays 0..7 at 0x05000010..17: 0 on, 1 off. */
  relays: number[];
  memory: Map<number, number>;
}

export interface ControllerModel {
  /** This controller's index in its daisy chain: requests to another index get no answer. */
  readonly index: number;
  readonly ports: number;
  readonly cardsPerPort: number;
  readonly sendingCard: SendingCardState;
  /** `cards[port][board]`. */
  readonly cards: ReceivingCardState[][];
  readonly functionCard: FunctionCardState;
}

export interface ControllerModelOptions {
  /** Daisy-chain index, default 0. */
  readonly index?: number;
  /** Output ports, 1..16, default 2. */
  readonly ports?: number;
  /** Receiving cards per port, 1..1024, default 8. */
  readonly cardsPerPort?: number;
  /** Fit a monitor card on every receiving card (default true). */
  readonly monitorCards?: boolean;
  /** Overrides of the sending card's defaults (an MCTRL660 Pro). */
  readonly sendingCard?: Partial<SendingCardState>;
  /** Overrides of the function card's defaults (an MFN300). */
  readonly functionCard?: Partial<FunctionCardState>;
}

export const DEFAULT_PORTS = 2;
export const DEFAULT_CARDS_PER_PORT = 8;

/** A controller with realistic, deterministic readings (see defaults.ts). */
export function createControllerModel(options: ControllerModelOptions = {}): ControllerModel {
  const index = options.index ?? 0;
  const ports = options.ports ?? DEFAULT_PORTS;
  const cardsPerPort = options.cardsPerPort ?? DEFAULT_CARDS_PER_PORT;
  checkModelOptions(index, ports, cardsPerPort);
  const monitorCards = options.monitorCards ?? true;
  return {
    index,
    ports,
    cardsPerPort,
    sendingCard: { ...defaultSendingCard(ports), ...options.sendingCard },
    cards: Array.from({ length: ports }, (_, port) =>
      Array.from({ length: cardsPerPort }, (_, board) => defaultCard(port, board, monitorCards)),
    ),
    functionCard: { ...defaultFunctionCard(), ...options.functionCard },
  };
}
