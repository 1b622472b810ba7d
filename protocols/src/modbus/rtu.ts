/**
 * Modbus RTU framing: `unit id | PDU | CRC-16 (LE)`. The client side encodes requests
 * and decodes responses; a simulator decodes requests and encodes responses.
 *
 * Checks run in an order that names the real trouble: first the size the function code
 * implies (`truncated`, `bad-length`), then the CRC (`crc`), then the PDU's content.
 */
import { crc16, appendCrc, frameCrc } from './crc.js';
import { ModbusError } from './errors.js';
import { isReadFunction, type ModbusExceptionResponse, type ModbusRequest, type ModbusResponse } from './pdu.js';
import { decodeRequestPdu, encodeRequestPdu } from './request.js';
import { decodeResponsePdu, encodeResponsePdu } from './response.js';
import { checkRange, unsupportedFunction } from './wire.js';

/** Smallest RTU frame: unit id, function code, CRC. */
export const MIN_RTU_FRAME = 4;
/** Largest RTU frame (256 bytes: 1 unit id + 253 PDU + 2 CRC). */
export const MAX_RTU_FRAME = 256;

export type Side = 'request' | 'response';

export interface RtuRequest { readonly unitId: number; readonly request: ModbusRequest }
export interface RtuResponse { readonly unitId: number; readonly response: ModbusResponse }

/**
 * Size of the RTU frame starting at `bytes[0]`, judged from its function code (and byte
 * count where there is one); undefined while too few bytes have arrived to tell. Throws
 * `bad-function` for a function code this codec does not know.
 */
export function rtuFrameLength(bytes: Uint8Array, side: Side): number | undefined {
  const fc = bytes[1];
  if (fc === undefined) return undefined;
  if (side === 'response' && fc & 0x80) return 5;
  if (side === 'request') {
    if (isReadFunction(fc) || fc === 6) return 8;
    if (fc === 16) return bytes[6] === undefined ? undefined : 9 + bytes[6];
  } else {
    if (isReadFunction(fc)) return bytes[2] === undefined ? undefined : 5 + bytes[2];
    if (fc === 6 || fc === 16) return 8;
  }
  throw unsupportedFunction(fc);
}

export function encodeRtuFrame(unitId: number, pdu: Uint8Array): Uint8Array {
  checkRange('unit id', unitId, 0, 0xff);
  const body = new Uint8Array(1 + pdu.length);
  body[0] = unitId;
  body.set(pdu, 1);
  return appendCrc(body);
}

/** Checks size and CRC of exactly one frame; returns the unit id and the PDU. */
export function decodeRtuFrame(bytes: Uint8Array, side: Side): { unitId: number; pdu: Uint8Array } {
  if (bytes.length < MIN_RTU_FRAME) {
    throw new ModbusError('truncated', `${bytes.length} bytes, an RTU frame has at least ${MIN_RTU_FRAME}`, 'wait for or copy the whole frame');
  }
  let size: number | undefined;
  try {
    size = rtuFrameLength(bytes, side);
  } catch (err) {
    // An unknown function code on a frame whose CRC fails is line noise, not a new function.
    if (crc16(bytes.subarray(0, bytes.length - 2)) !== frameCrc(bytes)) throw crcError(bytes);
    throw err;
  }
  if (size === undefined || bytes.length < size) {
    throw new ModbusError('truncated', `${bytes.length} bytes, the ${side} needs ${size ?? 'more'}`, 'wait for or copy the whole frame');
  }
  if (bytes.length > size) {
    throw new ModbusError('bad-length', `${bytes.length} bytes, the ${side} is ${size}`, 'give exactly one frame; a longer one may be two frames or trailing noise');
  }
  if (crc16(bytes.subarray(0, size - 2)) !== frameCrc(bytes)) throw crcError(bytes);
  return { unitId: bytes[0] ?? 0, pdu: bytes.slice(1, size - 2) };
}

function crcError(bytes: Uint8Array): ModbusError {
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  return new ModbusError(
    'crc',
    `bad CRC: expected ${hex(crc16(bytes.subarray(0, bytes.length - 2)))}, frame carries ${hex(frameCrc(bytes))}`,
    'line noise, a wrong baud rate or parity, or two devices with the same address on the bus',
  );
}

export function encodeRequest(unitId: number, request: ModbusRequest): Uint8Array {
  return encodeRtuFrame(unitId, encodeRequestPdu(request));
}

export function decodeRequest(bytes: Uint8Array): RtuRequest {
  const { unitId, pdu } = decodeRtuFrame(bytes, 'request');
  return { unitId, request: decodeRequestPdu(pdu) };
}

export function encodeResponse(unitId: number, response: ModbusResponse | ModbusExceptionResponse): Uint8Array {
  return encodeRtuFrame(unitId, encodeResponsePdu(response));
}

/**
 * Decodes a response. With `asked`, also checks it answers that request from that unit
 * (`bad-unit`, `bad-function`, `bad-length`) and trims bit reads to the quantity asked.
 * An exception response throws code `exception`.
 */
export function decodeResponse(bytes: Uint8Array, asked?: RtuRequest): RtuResponse {
  const { unitId, pdu } = decodeRtuFrame(bytes, 'response');
  if (asked !== undefined && unitId !== asked.unitId) {
    throw new ModbusError('bad-unit', `response from unit ${unitId}, unit ${asked.unitId} was asked`, 'two devices share a bus address, or a late answer to an earlier request');
  }
  return { unitId, response: decodeResponsePdu(pdu, asked?.request) };
}
