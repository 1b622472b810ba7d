/**
 * Response PDUs: a simulator encodes them, the client decodes them. Given the request it
 * answers, decoding also checks that the response belongs to it (function, sizes, echoes)
 * and trims bit reads to the quantity asked. An exception response decodes to a thrown
 * `exception` {@link ModbusError} naming the exception.
 */
import { ModbusError, exceptionName } from './errors.js';
import { isExceptionResponse, type ModbusExceptionResponse, type ModbusRequest, type ModbusResponse } from './pdu.js';
import { checkQuantity, checkRange, expectSize, putU16be, u16be, unsupportedFunction } from './wire.js';

export function encodeResponsePdu(response: ModbusResponse | ModbusExceptionResponse): Uint8Array {
  if (isExceptionResponse(response)) {
    checkRange('function code', response.fc, 1, 0x7f);
    checkRange('exception code', response.exception, 1, 0xff);
    return Uint8Array.of(response.fc | 0x80, response.exception);
  }
  switch (response.fc) {
    case 1:
    case 2: {
      checkQuantity(response.fc, response.bits.length);
      const pdu = new Uint8Array(2 + Math.ceil(response.bits.length / 8));
      pdu[0] = response.fc;
      pdu[1] = pdu.length - 2;
      response.bits.forEach((bit, i) => {
        if (bit) pdu[2 + (i >> 3)]! |= 1 << (i & 7);
      });
      return pdu;
    }
    case 3:
    case 4: {
      checkQuantity(response.fc, response.registers.length);
      const pdu = new Uint8Array(2 + 2 * response.registers.length);
      pdu[0] = response.fc;
      pdu[1] = 2 * response.registers.length;
      response.registers.forEach((v, i) => {
        checkRange(`registers[${i}]`, v, 0, 0xffff);
        putU16be(pdu, 2 + 2 * i, v);
      });
      return pdu;
    }
    case 6:
    case 16: {
      const second = response.fc === 6 ? response.value : response.quantity;
      checkRange('address', response.address, 0, 0xffff);
      if (response.fc === 16) checkQuantity(16, second);
      else checkRange('value', second, 0, 0xffff);
      const pdu = new Uint8Array(5);
      pdu[0] = response.fc;
      putU16be(pdu, 1, response.address);
      putU16be(pdu, 3, second);
      return pdu;
    }
    default:
      throw unsupportedFunction((response as { fc: number }).fc);
  }
}

/** Decodes exactly one response PDU; pass the request to check that the response answers it. */
export function decodeResponsePdu(pdu: Uint8Array, request?: ModbusRequest): ModbusResponse {
  const fc = pdu[0];
  if (fc === undefined) throw new ModbusError('truncated', 'empty PDU', 'a PDU starts with the function code');
  const asked = request?.fc ?? fc & 0x7f;
  if ((fc & 0x7f) !== asked) {
    throw new ModbusError('bad-function', `response to function ${fc & 0x7f}, but function ${asked} was asked`, 'a stale answer or another client on the bus: retry');
  }
  if (fc & 0x80) {
    expectSize('exception response', pdu, 2);
    const code = pdu[1] ?? 0;
    throw new ModbusError(
      'exception',
      `device answered function ${asked} with exception ${code} (${exceptionName(code)})`,
      code === 2 ? 'the register address is not mapped on this device: check the profile against the device manual' : 'see the device manual for this exception',
      { exception: { functionCode: asked, code } },
    );
  }
  switch (fc) {
    case 1:
    case 2:
    case 3:
    case 4:
      return decodeRead(fc, pdu, request);
    case 6:
    case 16: {
      expectSize(`write response (function ${fc})`, pdu, 5);
      const address = u16be(pdu, 1);
      const second = u16be(pdu, 3);
      const response: ModbusResponse = fc === 6 ? { fc, address, value: second } : { fc, address, quantity: second };
      if (request !== undefined) checkEcho(request, response);
      return response;
    }
    default:
      throw unsupportedFunction(fc);
  }
}

function decodeRead(fc: 1 | 2 | 3 | 4, pdu: Uint8Array, request: ModbusRequest | undefined): ModbusResponse {
  if (pdu.length < 2) expectSize('read response header', pdu, 2);
  const byteCount = pdu[1] ?? 0;
  expectSize(`read response with byte count ${byteCount}`, pdu, 2 + byteCount);
  const quantity = request && 'quantity' in request ? request.quantity : undefined;
  const bits = fc === 1 || fc === 2;
  const expected = quantity === undefined ? undefined : bits ? Math.ceil(quantity / 8) : 2 * quantity;
  if ((expected !== undefined && byteCount !== expected) || byteCount === 0 || (!bits && byteCount % 2 !== 0)) {
    throw new ModbusError(
      'bad-length',
      `byte count ${byteCount} does not fit ${quantity === undefined ? 'a read response' : `a read of ${quantity}`}`,
      'a stale answer or another client on the bus: retry',
    );
  }
  if (!bits) return { fc, registers: Array.from({ length: byteCount / 2 }, (_, i) => u16be(pdu, 2 + 2 * i)) };
  const all = Array.from({ length: byteCount * 8 }, (_, i) => ((pdu[2 + (i >> 3)] ?? 0) >> (i & 7)) & 1 ? true : false);
  return { fc, bits: quantity === undefined ? all : all.slice(0, quantity) };
}

function checkEcho(request: ModbusRequest, response: ModbusResponse): void {
  const expected = request.fc === 6 ? [request.address, request.value] : request.fc === 16 ? [request.address, request.values.length] : [];
  const actual = response.fc === 6 ? [response.address, response.value] : response.fc === 16 ? [response.address, response.quantity] : [];
  if (expected[0] !== actual[0] || expected[1] !== actual[1]) {
    throw new ModbusError('bad-field', `write response echoes ${actual.join('/')}, request was ${expected.join('/')}`, 'a stale answer: read the register back to confirm the write');
  }
}
