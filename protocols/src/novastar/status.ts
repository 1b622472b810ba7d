/**
 * Status registers polled every cycle. Sending card: DVI signal, input bitmap, selected
 * input, redundancy, ambient light. Receiving card: brightness. One-byte registers decode
 * from the byte; encoders are the inverse, for the simulator.
 */
import { checkUint, needBytes, putU16le, u16le } from './bytes.js';
import { NovaStarError } from './errors.js';

export interface DviStatus {
  /** 01 = a signal on the DVI input, 00 = none. */
  readonly signal: boolean;
}

export function decodeDvi(byte: number): DviStatus {
  return { signal: byte !== 0 };
}

export function encodeDvi(status: DviStatus): number {
  return status.signal ? 0x01 : 0x00;
}

/** Input bitmap bits 0..6 (1 = signal present, per the vendor's own examples). */
export const INPUT_NAMES = ['3G-SDI', 'HDMI', 'DVI1', 'DVI2', 'DVI3', 'DVI4', 'DP'] as const;
export type InputName = (typeof INPUT_NAMES)[number];

export interface InputBitmap {
  readonly present: readonly InputName[];
}

export function decodeInputBitmap(byte: number): InputBitmap {
  return { present: INPUT_NAMES.filter((_, bit) => (byte & (1 << bit)) !== 0) };
}

export function encodeInputBitmap(bitmap: InputBitmap): number {
  return bitmap.present.reduce((byte, name) => byte | (1 << INPUT_NAMES.indexOf(name)), 0);
}

/** Selected-input codes seen in the vendor's examples (`58` DVI, `05` HDMI); others are unnamed. */
export const SELECTED_INPUT_NAMES: Readonly<Record<number, string>> = { 0x05: 'HDMI', 0x58: 'DVI' };

export interface SelectedInput {
  readonly code: number;
  readonly name: string | null;
}

export function decodeSelectedInput(byte: number): SelectedInput {
  return { code: byte, name: SELECTED_INPUT_NAMES[byte] ?? null };
}

export function encodeSelectedInput(input: Pick<SelectedInput, 'code'>): number {
  checkUint('selected input', input.code, 0xff);
  return input.code;
}

export interface PortRedundancy {
  readonly port: number;
  /** The port's 2 bits, port 0 in bits 1..0. */
  readonly bits: number;
  /** `0b10`: the port runs on its backup path. */
  readonly backup: boolean;
}

/** Redundancy byte: 2 bits per output port, for the first `ports` (1..4) ports. */
export function decodeRedundancy(byte: number, ports: number): PortRedundancy[] {
  checkPorts(ports);
  return Array.from({ length: ports }, (_, port) => {
    const bits = (byte >> (2 * port)) & 0b11;
    return { port, bits, backup: bits === 0b10 };
  });
}

export function encodeRedundancy(ports: readonly Pick<PortRedundancy, 'bits'>[]): number {
  checkPorts(ports.length);
  return ports.reduce((byte, p, port) => {
    checkUint(`redundancy bits of port ${port}`, p.bits, 0b11);
    return byte | (p.bits << (2 * port));
  }, 0);
}

function checkPorts(ports: number): void {
  if (!Number.isInteger(ports) || ports < 1 || ports > 4) {
    throw new NovaStarError('bad-field', `${ports} ports do not fit the redundancy byte`, 'the redundancy byte covers 1 to 4 ports');
  }
}

export interface AmbientLight {
  /** null when the sensor reports not valid (bit15 clear). */
  readonly lux: number | null;
}

/** u16 LE: bit15 valid, bits14..0 × 2 lux. */
export function decodeAmbientLight(data: Uint8Array): AmbientLight {
  needBytes('ambient light', data, 2);
  const raw = u16le(data, 0);
  return { lux: raw & 0x8000 ? (raw & 0x7fff) * 2 : null };
}

export function encodeAmbientLight(light: AmbientLight): Uint8Array {
  const out = new Uint8Array(2);
  if (light.lux !== null) {
    const units = Math.round(light.lux / 2);
    checkUint('ambient light / 2 lux', units, 0x7fff);
    putU16le(out, 0, 0x8000 | units);
  }
  return out;
}

/** Receiving-card brightness at 0x02000001, each 0..255. */
export interface Brightness {
  readonly global: number;
  readonly red: number;
  readonly green: number;
  readonly blue: number;
  readonly virtualRed: number;
}

const BRIGHTNESS_FIELDS = ['global', 'red', 'green', 'blue', 'virtualRed'] as const;

export function decodeBrightness(data: Uint8Array): Brightness {
  needBytes('brightness', data, 5);
  const [global = 0, red = 0, green = 0, blue = 0, virtualRed = 0] = data;
  return { global, red, green, blue, virtualRed };
}

export function encodeBrightness(brightness: Brightness): Uint8Array {
  for (const field of BRIGHTNESS_FIELDS) checkUint(`brightness ${field}`, brightness[field], 0xff);
  return Uint8Array.from(BRIGHTNESS_FIELDS, (field) => brightness[field]);
}
