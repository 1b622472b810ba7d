/**
 * Faults injected into a running simulator. Each is an overlay on the model: while active
 * it overrides what the affected register reads; cleared, the model's own value shows
 * again (including any write or drift since). Injecting a fault with the id of an active
 * one replaces it (e.g. a new over-temperature value for the same card).
 */
import { FAN_COUNT, RIBBON_BITS } from '../monitoring.js';

interface CardFault {
  readonly port: number;
  /** The card's position on the port chain (the frame's board field). */
  readonly card: number;
}

export type Fault =
  | (CardFault & { readonly kind: 'card-over-temperature'; /** default 85 °C */ readonly temperatureC?: number })
  | (CardFault & { readonly kind: 'card-missing' })
  | (CardFault & { readonly kind: 'fan-stopped'; /** 0..3 */ readonly fan: number })
  | (CardFault & { readonly kind: 'smoke' })
  | (CardFault & { readonly kind: 'door-open'; /** 0 = door 1, 1 = door 2 */ readonly door: number })
  | (CardFault & { readonly kind: 'ribbon-error'; /** bits 0..127 that read 1, default [0] */ readonly bits?: readonly number[] })
  | { readonly kind: 'dvi-lost' }
  | (CardFault & { readonly kind: 'card-under-voltage'; /** default 4.2 V */ readonly voltageV?: number })
  | { readonly kind: 'redundancy-backup'; readonly port: number };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'card-over-temperature',
  'card-missing',
  'fan-stopped',
  'smoke',
  'door-open',
  'ribbon-error',
  'dvi-lost',
  'card-under-voltage',
  'redundancy-backup',
];

export const DEFAULT_OVER_TEMPERATURE_C = 85;
export const DEFAULT_UNDER_VOLTAGE_V = 4.2;
export const DEFAULT_RIBBON_ERROR_BITS: readonly number[] = [0];
/** What the faults need to know of the model to check positions. */
export const FAULT_LIMITS = { fans: FAN_COUNT, doors: 2, ribbonBits: RIBBON_BITS } as const;

/**
 * A fault's identity: kind and position, not its values. `clear` takes a fault or this id;
 * e.g. `fan-stopped:0:3:1` (port 0, card 3, fan 1), `dvi-lost`, `redundancy-backup:1`.
 */
export function faultId(fault: Fault): string {
  switch (fault.kind) {
    case 'dvi-lost':
      return fault.kind;
    case 'redundancy-backup':
      return `${fault.kind}:${fault.port}`;
    case 'fan-stopped':
      return `${fault.kind}:${fault.port}:${fault.card}:${fault.fan}`;
    case 'door-open':
      return `${fault.kind}:${fault.port}:${fault.card}:${fault.door}`;
    default:
      return `${fault.kind}:${fault.port}:${fault.card}`;
  }
}

/** Whether a fault sits on the receiving card at (port, card). */
export function isOnCard(fault: Fault, port: number, card: number): fault is Extract<Fault, CardFault> {
  return 'card' in fault && fault.port === port && fault.card === card;
}
