/**
 * Register map keyed by (deviceType, address): the same address means different things on
 * a sending card and a receiving card (0x02000001 is brightness on a receiving card).
 * Each entry names the register, how many bytes to read, and how to decode and encode its
 * data. `REGISTERS` is typed per entry for the driver and simulator; `lookupRegister`
 * serves tools that only have a frame.
 */
import { hex32, needBytes } from './bytes.js';
import { NovaStarError } from './errors.js';
import { DEVICE_TYPE } from './frame.js';
import {
  decodeControllerSerial,
  decodeFpgaVersion,
  decodeModelId,
  decodeReceivingCardIdentity,
  encodeControllerSerial,
  encodeFpgaVersion,
  encodeModelId,
  encodeReceivingCardIdentity,
} from './identification.js';
import {
  MONITORING,
  MONITORING_BASE,
  MONITORING_BLOCK_LENGTH,
  RIBBON_BITS,
  decodeCardReadings,
  decodeReceivingCardMonitoring,
  decodeRibbonStatus,
  encodeReceivingCardMonitoring,
  encodeRibbonMap,
} from './monitoring.js';
import {
  decodeAmbientLight,
  decodeBrightness,
  decodeDvi,
  decodeInputBitmap,
  decodeRedundancy,
  decodeSelectedInput,
  encodeAmbientLight,
  encodeBrightness,
  encodeDvi,
  encodeInputBitmap,
  encodeRedundancy,
  encodeSelectedInput,
  type DviStatus,
  type InputBitmap,
  type PortRedundancy,
  type SelectedInput,
} from './status.js';
import { decodeValid7, encodeValid7 } from './units.js';

export interface RegisterDef<T, In = T> {
  readonly deviceType: number;
  readonly address: number;
  readonly name: string;
  /** Bytes to read. */
  readonly length: number;
  /** Decodes a read response's data; throws `short-data` when it is too short. */
  decode(data: Uint8Array): T;
  /** What a device would answer (simulator) or a write would carry. */
  encode(value: In): Uint8Array;
}

const { sendingCard, receivingCard } = DEVICE_TYPE;

function defineRegister<T, In>(def: RegisterDef<T, In>): RegisterDef<T, In> {
  return def;
}

function oneByte<T>(name: string, decode: (byte: number) => T): (data: Uint8Array) => T {
  return (data) => {
    needBytes(name, data, 1);
    return decode(data[0] ?? 0);
  };
}

export const REGISTERS = {
  sendingCardModel: defineRegister({
    deviceType: sendingCard, address: 0x00000002, name: 'sending-card model id', length: 2,
    decode: (data: Uint8Array) => decodeModelId(data, sendingCard),
    encode: (id: number) => encodeModelId(id),
  }),
  controllerSerial: defineRegister({
    deviceType: sendingCard, address: 0x00000016, name: 'controller serial', length: 8,
    decode: decodeControllerSerial, encode: encodeControllerSerial,
  }),
  sendingCardFpgaVersion: defineRegister({
    deviceType: sendingCard, address: 0x04100004, name: 'sending-card FPGA version', length: 4,
    decode: decodeFpgaVersion, encode: encodeFpgaVersion,
  }),
  dviSignal: defineRegister({
    deviceType: sendingCard, address: 0x02000017, name: 'DVI signal', length: 1,
    decode: oneByte('DVI signal', decodeDvi), encode: (v: DviStatus) => Uint8Array.of(encodeDvi(v)),
  }),
  inputBitmap: defineRegister({
    deviceType: sendingCard, address: 0x0200004d, name: 'input signal bitmap', length: 1,
    decode: oneByte('input bitmap', decodeInputBitmap), encode: (v: InputBitmap) => Uint8Array.of(encodeInputBitmap(v)),
  }),
  selectedInput: defineRegister({
    deviceType: sendingCard, address: 0x02000023, name: 'selected input', length: 1,
    decode: oneByte('selected input', decodeSelectedInput), encode: (v: Pick<SelectedInput, 'code'>) => Uint8Array.of(encodeSelectedInput(v)),
  }),
  redundancy: defineRegister({
    deviceType: sendingCard, address: 0x0200001e, name: 'port redundancy', length: 1,
    decode: oneByte('redundancy', (byte) => decodeRedundancy(byte, 4)), encode: (v: readonly Pick<PortRedundancy, 'bits'>[]) => Uint8Array.of(encodeRedundancy(v)),
  }),
  ambientLight: defineRegister({
    deviceType: sendingCard, address: 0x0200000f, name: 'ambient light', length: 2,
    decode: decodeAmbientLight, encode: encodeAmbientLight,
  }),
  receivingCardIdentity: defineRegister({
    deviceType: receivingCard, address: 0x00000000, name: 'receiving-card model id and FPGA version', length: 6,
    decode: decodeReceivingCardIdentity, encode: encodeReceivingCardIdentity,
  }),
  receivingCardMonitoring: defineRegister({
    deviceType: receivingCard, address: MONITORING_BASE, name: 'receiving-card monitoring block', length: MONITORING_BLOCK_LENGTH,
    /** A full block decodes whole; a shorter read (e.g. 2 bytes of temperature) gives the card-level fields that fit. */
    decode: (data: Uint8Array) => (data.length >= MONITORING_BLOCK_LENGTH ? decodeReceivingCardMonitoring(data) : decodeCardReadings(data)),
    encode: encodeReceivingCardMonitoring,
  }),
  cardHumidity: defineRegister({
    deviceType: receivingCard, address: MONITORING_BASE + MONITORING.humidity, name: 'receiving-card humidity', length: 1,
    decode: oneByte('card humidity', (byte) => ({ humidityPct: decodeValid7(byte, 1) })),
    encode: (v: { humidityPct: number | null }) => Uint8Array.of(encodeValid7(v.humidityPct, 1, 'card humidity')),
  }),
  cardVoltage: defineRegister({
    deviceType: receivingCard, address: MONITORING_BASE + MONITORING.voltage, name: 'receiving-card voltage', length: 1,
    decode: oneByte('card voltage', (byte) => ({ voltageV: decodeValid7(byte, 0.1) })),
    encode: (v: { voltageV: number | null }) => Uint8Array.of(encodeValid7(v.voltageV, 0.1, 'card voltage')),
  }),
  ribbonStatus: defineRegister({
    deviceType: receivingCard, address: MONITORING_BASE + MONITORING.ribbon, name: 'ribbon-cable status', length: RIBBON_BITS / 8,
    decode: decodeRibbonStatus,
    encode: (v: { ribbonErrorBits: readonly number[] }) => encodeRibbonMap(v.ribbonErrorBits),
  }),
  brightness: defineRegister({
    deviceType: receivingCard, address: 0x02000001, name: 'brightness (global, R, G, B, vR)', length: 5,
    decode: decodeBrightness, encode: encodeBrightness,
  }),
  functionCardModel: defineRegister({
    deviceType: DEVICE_TYPE.functionCard, address: 0x00000002, name: 'function-card model id', length: 2,
    decode: (data: Uint8Array) => decodeModelId(data, DEVICE_TYPE.functionCard),
    encode: (id: number) => encodeModelId(id),
  }),
};

export type RegisterName = keyof typeof REGISTERS;

/** Any register, for code that only decodes (a frame tool). */
export type AnyRegister = RegisterDef<unknown, never>;

const key = (deviceType: number, address: number): string => `${deviceType}:${address >>> 0}`;

const BY_KEY: ReadonlyMap<string, AnyRegister> = (() => {
  const map = new Map<string, AnyRegister>();
  for (const [id, def] of Object.entries(REGISTERS) as [string, AnyRegister][]) {
    const k = key(def.deviceType, def.address);
    const existing = map.get(k);
    if (existing !== undefined) throw new Error(`register ${id} duplicates ${existing.name} at ${k}`);
    map.set(k, def);
  }
  return map;
})();

export function lookupRegister(deviceType: number, address: number): AnyRegister | undefined {
  return BY_KEY.get(key(deviceType, address));
}

/** Like {@link lookupRegister} but throws `unknown-register`. */
export function requireRegister(deviceType: number, address: number): AnyRegister {
  const def = lookupRegister(deviceType, address);
  if (def === undefined) {
    throw new NovaStarError(
      'unknown-register',
      `no register known at deviceType ${deviceType}, address ${hex32(address >>> 0)}`,
      'see protocols/src/novastar/registers.ts for the registers this codec knows',
    );
  }
  return def;
}
