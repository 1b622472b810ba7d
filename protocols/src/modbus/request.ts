/**
 * Request PDUs: the client encodes them, a simulator decodes them. Encoding refuses what
 * cannot go on the wire (`bad-field`, `bad-length`); decoding reports what a server would
 * answer with an exception (`bad-function`, `bad-length`, `truncated`).
 */
import { ModbusError } from './errors.js';
import { isReadFunction, type ModbusRequest } from './pdu.js';
import { checkQuantity, checkRange, expectSize, putU16be, u16be, unsupportedFunction } from './wire.js';

export function encodeRequestPdu(request: ModbusRequest): Uint8Array {
  checkRange('address', request.address, 0, 0xffff);
  switch (request.fc) {
    case 1:
    case 2:
    case 3:
    case 4: {
      checkQuantity(request.fc, request.quantity);
      checkRange('address + quantity', request.address + request.quantity, 1, 0x10000);
      const pdu = new Uint8Array(5);
      pdu[0] = request.fc;
      putU16be(pdu, 1, request.address);
      putU16be(pdu, 3, request.quantity);
      return pdu;
    }
    case 6: {
      checkRange('value', request.value, 0, 0xffff);
      const pdu = new Uint8Array(5);
      pdu[0] = 6;
      putU16be(pdu, 1, request.address);
      putU16be(pdu, 3, request.value);
      return pdu;
    }
    case 16: {
      const n = request.values.length;
      checkQuantity(16, n);
      checkRange('address + quantity', request.address + n, 1, 0x10000);
      const pdu = new Uint8Array(6 + 2 * n);
      pdu[0] = 16;
      putU16be(pdu, 1, request.address);
      putU16be(pdu, 3, n);
      pdu[5] = 2 * n;
      request.values.forEach((v, i) => {
        checkRange(`values[${i}]`, v, 0, 0xffff);
        putU16be(pdu, 6 + 2 * i, v);
      });
      return pdu;
    }
    default:
      throw unsupportedFunction((request as { fc: number }).fc);
  }
}

/** Decodes exactly one request PDU. */
export function decodeRequestPdu(pdu: Uint8Array): ModbusRequest {
  const fc = pdu[0];
  if (fc === undefined) throw new ModbusError('truncated', 'empty PDU', 'a PDU starts with the function code');
  if (isReadFunction(fc)) {
    expectSize(`read request (function ${fc})`, pdu, 5);
    const quantity = u16be(pdu, 3);
    checkQuantity(fc, quantity);
    return { fc, address: u16be(pdu, 1), quantity };
  }
  if (fc === 6) {
    expectSize('write single register request', pdu, 5);
    return { fc, address: u16be(pdu, 1), value: u16be(pdu, 3) };
  }
  if (fc === 16) {
    if (pdu.length < 6) expectSize('write multiple registers request header', pdu, 6);
    const quantity = u16be(pdu, 3);
    checkQuantity(16, quantity);
    const byteCount = pdu[5] ?? 0;
    if (byteCount !== 2 * quantity) {
      throw new ModbusError('bad-length', `byte count ${byteCount} does not match quantity ${quantity} (${2 * quantity} bytes)`, 'byte count = 2 × quantity');
    }
    expectSize('write multiple registers request', pdu, 6 + byteCount);
    const values = Array.from({ length: quantity }, (_, i) => u16be(pdu, 6 + 2 * i));
    return { fc, address: u16be(pdu, 1), values };
  }
  throw unsupportedFunction(fc);
}
