/**
 * Receiving-card monitoring block at 0x0A000000 (82 bytes used; the vendor tool reads 256).
 *
 *  0x00     card temperature valid/sign   bit7 valid, bit0 sign (1 = negative)
 *  0x01     card temperature              0.5 °C per unit
 *  0x02     card humidity                 bit7 valid, bits6..0 %RH
 *  0x03     card voltage                  bit7 valid, bits6..0 × 0.1 V
 *  0x20     monitor card present          FF = present; 0x21.. are ignored otherwise
 *  0x21     monitor card model            u16 LE
 *  0x23     monitor card firmware         a.b.c.d
 *  0x27     monitor card temperature      as 0x00/0x01
 *  0x29     monitor card humidity         bit7 valid, %RH
 *  0x2A     smoke                         bit7 valid, bit0 smoke detected
 *  0x2B–2E  fans 0..3                     bit7 valid, bits6..0 × 50 rpm
 *  0x2F–37  voltages 0..8                 bit7 valid, bits6..0 × 0.1 V
 *  0x41     doors                         bit0 door 1 open, bit1 door 2 open
 *  0x42–51  ribbon-cable status           128 bits, 1 = error (unconnected pins read 1);
 *                                         bit i is bit (i mod 8) of byte 0x42 + ⌊i/8⌋
 */
import { needBytes, u16le } from './bytes.js';
import { NovaStarError } from './errors.js';
import { decodeFpgaVersion, encodeFpgaVersion, encodeModelId } from './identification.js';
import { decodeTemperature, decodeValid7, encodeTemperature, encodeValid7 } from './units.js';

export const MONITORING_BASE = 0x0a000000;
export const MONITORING_BLOCK_LENGTH = 0x52;
/** Offsets inside the block. */
export const MONITORING = {
  temperature: 0x00,
  humidity: 0x02,
  voltage: 0x03,
  monitorPresent: 0x20,
  monitorModel: 0x21,
  monitorFirmware: 0x23,
  monitorTemperature: 0x27,
  monitorHumidity: 0x29,
  smoke: 0x2a,
  fans: 0x2b,
  voltages: 0x2f,
  doors: 0x41,
  ribbon: 0x42,
} as const;
export const FAN_COUNT = 4;
export const VOLTAGE_COUNT = 9;
export const RIBBON_BITS = 128;
const MONITOR_PRESENT = 0xff;

export interface MonitorCardReadings {
  readonly present: true;
  readonly model: number;
  readonly firmware: string;
  readonly temperatureC: number | null;
  /** %RH */
  readonly humidity: number | null;
  readonly smoke: boolean | null;
  /** Four fans; null where the valid bit is clear. */
  readonly fansRpm: readonly (number | null)[];
  /** Nine voltages; null where the valid bit is clear. */
  readonly voltagesV: readonly (number | null)[];
  /** Door 1, door 2. */
  readonly doorsOpen: readonly boolean[];
  /** Indices (0..127) of the ribbon-cable bits set to 1 (error, or pin not connected). */
  readonly ribbonErrorBits: readonly number[];
  /** How many ribbon-cable bits are 1. */
  readonly ribbonErrors: number;
}

export type MonitorCard = { readonly present: false } | MonitorCardReadings;

export interface ReceivingCardMonitoring {
  readonly temperatureC: number | null;
  readonly humidityPct: number | null;
  readonly voltageV: number | null;
  readonly monitorCard: MonitorCard;
}

/** What the simulator sets; `ribbonErrors` follows from `ribbonErrorBits`. */
export type MonitoringValues = Omit<ReceivingCardMonitoring, 'monitorCard'> & {
  readonly monitorCard: { readonly present: false } | Omit<MonitorCardReadings, 'ribbonErrors'>;
};

export function decodeReceivingCardMonitoring(data: Uint8Array): ReceivingCardMonitoring {
  needBytes('receiving-card monitoring block', data, MONITORING_BLOCK_LENGTH);
  return {
    temperatureC: decodeTemperature(data, MONITORING.temperature),
    humidityPct: decodeValid7(data[MONITORING.humidity] ?? 0, 1),
    voltageV: decodeValid7(data[MONITORING.voltage] ?? 0, 0.1),
    monitorCard: data[MONITORING.monitorPresent] === MONITOR_PRESENT ? decodeMonitorCard(data) : { present: false },
  };
}

function decodeMonitorCard(data: Uint8Array): MonitorCardReadings {
  const smoke = data[MONITORING.smoke] ?? 0;
  const doors = data[MONITORING.doors] ?? 0;
  const ribbonErrorBits = decodeRibbonMap(data.subarray(MONITORING.ribbon, MONITORING.ribbon + RIBBON_BITS / 8));
  return {
    present: true,
    model: u16le(data, MONITORING.monitorModel),
    firmware: decodeFpgaVersion(data.subarray(MONITORING.monitorFirmware, MONITORING.monitorFirmware + 4)),
    temperatureC: decodeTemperature(data, MONITORING.monitorTemperature),
    humidity: decodeValid7(data[MONITORING.monitorHumidity] ?? 0, 1),
    smoke: smoke & 0x80 ? (smoke & 0x01) === 1 : null,
    fansRpm: Array.from(data.subarray(MONITORING.fans, MONITORING.fans + FAN_COUNT), (b) => decodeValid7(b, 50)),
    voltagesV: Array.from(data.subarray(MONITORING.voltages, MONITORING.voltages + VOLTAGE_COUNT), (b) => decodeValid7(b, 0.1)),
    doorsOpen: [(doors & 0x01) !== 0, (doors & 0x02) !== 0],
    ribbonErrorBits,
    ribbonErrors: ribbonErrorBits.length,
  };
}

/** Indices of the 1 bits of a ribbon-cable status map, LSB of the first byte = 0. */
export function decodeRibbonMap(map: Uint8Array): number[] {
  const bits: number[] = [];
  map.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) bits.push(i * 8 + bit);
  });
  return bits;
}

export function encodeRibbonMap(bits: readonly number[]): Uint8Array {
  const map = new Uint8Array(RIBBON_BITS / 8);
  for (const i of bits) {
    checkBit(i);
    map[i >> 3] = (map[i >> 3] ?? 0) | (1 << (i & 7));
  }
  return map;
}

function checkBit(i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= RIBBON_BITS) {
    throw new NovaStarError('bad-field', `ribbon bit ${i} outside 0..${RIBBON_BITS - 1}`, 'ribbon-cable bits are numbered 0..127');
  }
}

/**
 * The inverse of {@link decodeReceivingCardMonitoring}, for the simulator. Values round to
 * the wire's units (0.5 °C, 1 %RH, 0.1 V, 50 rpm); out-of-range values throw `bad-field`.
 * `length` pads the block with zeros (the vendor tool reads 256 bytes).
 */
export function encodeReceivingCardMonitoring(values: MonitoringValues, length: number = MONITORING_BLOCK_LENGTH): Uint8Array {
  const out = new Uint8Array(Math.max(length, MONITORING_BLOCK_LENGTH));
  encodeTemperature(out, MONITORING.temperature, values.temperatureC, 'card temperature');
  out[MONITORING.humidity] = encodeValid7(values.humidityPct, 1, 'card humidity');
  out[MONITORING.voltage] = encodeValid7(values.voltageV, 0.1, 'card voltage');
  const card = values.monitorCard;
  if (!card.present) return out;
  out[MONITORING.monitorPresent] = MONITOR_PRESENT;
  out.set(encodeModelId(card.model), MONITORING.monitorModel);
  out.set(encodeFpgaVersion(card.firmware), MONITORING.monitorFirmware);
  encodeTemperature(out, MONITORING.monitorTemperature, card.temperatureC, 'monitor card temperature');
  out[MONITORING.monitorHumidity] = encodeValid7(card.humidity, 1, 'monitor card humidity');
  out[MONITORING.smoke] = card.smoke === null ? 0 : card.smoke ? 0x81 : 0x80;
  fixedList(card.fansRpm, FAN_COUNT, 'fansRpm').forEach((rpm, i) => {
    out[MONITORING.fans + i] = encodeValid7(rpm, 50, `fan ${i}`);
  });
  fixedList(card.voltagesV, VOLTAGE_COUNT, 'voltagesV').forEach((v, i) => {
    out[MONITORING.voltages + i] = encodeValid7(v, 0.1, `voltage ${i}`);
  });
  out[MONITORING.doors] = (card.doorsOpen[0] ? 0x01 : 0) | (card.doorsOpen[1] ? 0x02 : 0);
  out.set(encodeRibbonMap(card.ribbonErrorBits), MONITORING.ribbon);
  return out;
}

function fixedList<T>(list: readonly T[], count: number, field: string): readonly T[] {
  if (list.length !== count) {
    throw new NovaStarError('bad-field', `${field} has ${list.length} entries, not ${count}`, `give exactly ${count} values (null where not fitted)`);
  }
  return list;
}

export interface CardReadings {
  readonly temperatureC: number | null;
  readonly humidityPct?: number | null;
  readonly voltageV?: number | null;
}

/**
 * A short read at the block base (the vendor example reads 2 bytes for the temperature):
 * the card-level fields that fit in `data`. Needs at least the 2 temperature bytes.
 */
export function decodeCardReadings(data: Uint8Array): CardReadings {
  needBytes('card temperature', data, 2);
  const temperatureC = decodeTemperature(data, MONITORING.temperature);
  const humidity = data[MONITORING.humidity];
  const voltage = data[MONITORING.voltage];
  if (humidity === undefined) return { temperatureC };
  const humidityPct = decodeValid7(humidity, 1);
  return voltage === undefined ? { temperatureC, humidityPct } : { temperatureC, humidityPct, voltageV: decodeValid7(voltage, 0.1) };
}

export interface RibbonStatus {
  readonly ribbonErrorBits: readonly number[];
  readonly ribbonErrors: number;
}

/** The 16-byte ribbon-cable map read on its own at 0x0A000042. */
export function decodeRibbonStatus(data: Uint8Array): RibbonStatus {
  needBytes('ribbon-cable status', data, RIBBON_BITS / 8);
  const ribbonErrorBits = decodeRibbonMap(data.subarray(0, RIBBON_BITS / 8));
  return { ribbonErrorBits, ribbonErrors: ribbonErrorBits.length };
}
