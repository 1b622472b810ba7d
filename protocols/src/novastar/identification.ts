/**
 * Identification registers: model ids (with the model table), FPGA versions and the
 * controller serial. Decoders take a read response's data; encoders are their inverse,
 * for the simulator.
 */
import { checkUint, fromHex, needBytes, putU16le, toHex, u16le } from './bytes.js';
import { NovaStarError } from './errors.js';
import { DEVICE_TYPE } from './frame.js';

/** Model ids → names, per device type (ids are only unique within one device type). */
export const MODEL_NAMES: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  [DEVICE_TYPE.sendingCard]: {
    0x0001: 'MCTRL300',
    0x0101: 'MCTRL500',
    0x1101: 'MCTRL600/MCTRL610',
    0x1103: 'MCTRL4K',
    0x1107: 'MCTRL660 Pro',
    0x6101: 'NovaPro HD',
    0x6106: 'VX4',
    0x6107: 'VX4S',
    0x620c: 'VX1000',
  },
  // Receiving cards answer 0x4101 and others; the reference names none of them.
  [DEVICE_TYPE.receivingCard]: {},
  [DEVICE_TYPE.functionCard]: {
    0x8101: 'MFN300',
  },
};

export interface ModelId {
  readonly id: number;
  /** null when the id is not in {@link MODEL_NAMES}. */
  readonly name: string | null;
}

export function modelName(deviceType: number, id: number): string | null {
  return MODEL_NAMES[deviceType]?.[id] ?? null;
}

/** Model id, u16 LE (`07 11` → 0x1107 MCTRL660 Pro on a sending card). */
export function decodeModelId(data: Uint8Array, deviceType: number): ModelId {
  needBytes('model id', data, 2);
  const id = u16le(data, 0);
  return { id, name: modelName(deviceType, id) };
}

export function encodeModelId(id: number): Uint8Array {
  checkUint('model id', id, 0xffff);
  const out = new Uint8Array(2);
  putU16le(out, 0, id);
  return out;
}

/** FPGA or firmware version, four bytes a.b.c.d in wire order (`04 03 00 00` → "4.3.0.0"). */
export function decodeFpgaVersion(data: Uint8Array): string {
  needBytes('FPGA version', data, 4);
  return Array.from(data.subarray(0, 4)).join('.');
}

export function encodeFpgaVersion(version: string): Uint8Array {
  const parts = version.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new NovaStarError('bad-field', `version ${JSON.stringify(version)} is not a.b.c.d`, 'give four numbers 0-255 joined by dots, e.g. "4.3.0.0"');
  }
  return Uint8Array.from(parts.map(Number));
}

/**
 * Controller serial: 8 bytes. The reference does not say how they print, so they are
 * given as 16 lowercase hex digits in wire order.
 */
export function decodeControllerSerial(data: Uint8Array): string {
  needBytes('controller serial', data, 8);
  return toHex(data.subarray(0, 8));
}

export function encodeControllerSerial(serial: string): Uint8Array {
  const bytes = fromHex(serial);
  if (bytes.length !== 8) {
    throw new NovaStarError('bad-field', `controller serial has ${bytes.length} bytes, not 8`, 'give 16 hex digits');
  }
  return bytes;
}

export interface ReceivingCardIdentity {
  readonly model: ModelId;
  /** Present when 6 bytes were read (model id, then the FPGA version). */
  readonly fpgaVersion?: string;
}

/** Receiving card at 0x00000000: model id (2 bytes), optionally followed by the FPGA version (4). */
export function decodeReceivingCardIdentity(data: Uint8Array): ReceivingCardIdentity {
  const model = decodeModelId(data, DEVICE_TYPE.receivingCard);
  return data.length >= 6 ? { model, fpgaVersion: decodeFpgaVersion(data.subarray(2, 6)) } : { model };
}

export function encodeReceivingCardIdentity(value: { readonly modelId: number; readonly fpgaVersion?: string }): Uint8Array {
  const model = encodeModelId(value.modelId);
  if (value.fpgaVersion === undefined) return model;
  const out = new Uint8Array(6);
  out.set(model, 0);
  out.set(encodeFpgaVersion(value.fpgaVersion), 2);
  return out;
}
