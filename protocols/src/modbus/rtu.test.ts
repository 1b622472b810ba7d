import { describe, expect, it } from 'vitest';
import { appendCrc } from './crc.js';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse, rtuFrameLength, type RtuRequest } from './rtu.js';
import { codeOf, errorOf, fromHex, toHex } from './test-utils/errors.js';

// Reference capture: XY-MD02 sensor, unit 1, read input registers 1..2.
const SENSOR_REQUEST = Uint8Array.from([
  0x01, // unit id 1
  0x04, // function 04: read input registers
  0x00, 0x01, // first register 1
  0x00, 0x02, // quantity 2
  0x20, 0x0b, // CRC
]);

const SENSOR_RESPONSE = Uint8Array.from([
  0x01, // unit id 1
  0x04, // function 04
  0x04, // byte count 4
  0x01, 0x31, // register 1 = 0x0131 = 305
  0x02, 0x22, // register 2 = 0x0222 = 546
  0x2a, 0xce, // CRC
]);

// The same read answered with exception 2: the device does not map the address.
const SENSOR_EXCEPTION = Uint8Array.from([
  0x01, // unit id 1
  0x84, // function 04 | 0x80: exception
  0x02, // exception 2: illegal data address
  0xc2, 0xc1, // CRC
]);

// Write 3 to holding register 1 of unit 1; the device echoes the request.
const WRITE_SINGLE = Uint8Array.from([
  0x01, // unit id 1
  0x06, // function 06: write single register
  0x00, 0x01, // register 1
  0x00, 0x03, // value 3
  0x98, 0x0b, // CRC
]);

// Specification example: write 0x000A, 0x0102 to holding registers 1..2 of unit 0x11.
const WRITE_MULTIPLE = Uint8Array.from([
  0x11, // unit id 17
  0x10, // function 16: write multiple registers
  0x00, 0x01, // first register 1
  0x00, 0x02, // quantity 2
  0x04, // byte count 4
  0x00, 0x0a, // value 10
  0x01, 0x02, // value 258
  0xc6, 0xf0, // CRC
]);

const WRITE_MULTIPLE_ACK = Uint8Array.from([
  0x11, // unit id 17
  0x10, // function 16
  0x00, 0x01, // first register 1
  0x00, 0x02, // quantity 2 written
  0x12, 0x98, // CRC
]);

const ASKED: RtuRequest = { unitId: 1, request: { fc: 4, address: 1, quantity: 2 } };

describe('RTU read requests and responses', () => {
  it('encodes the reference read request byte for byte', () => {
    expect(encodeRequest(1, { fc: 4, address: 1, quantity: 2 })).toEqual(SENSOR_REQUEST);
  });

  it('decodes the reference read request, as a simulator sees it', () => {
    expect(decodeRequest(SENSOR_REQUEST)).toEqual(ASKED);
  });

  it('decodes the reference response to registers 305 and 546', () => {
    expect(decodeResponse(SENSOR_RESPONSE, ASKED)).toEqual({ unitId: 1, response: { fc: 4, registers: [305, 546] } });
  });

  it('encodes the reference response byte for byte', () => {
    expect(encodeResponse(1, { fc: 4, registers: [305, 546] })).toEqual(SENSOR_RESPONSE);
  });

  it('encodes a holding-register read with function 03', () => {
    expect(toHex(encodeRequest(1, { fc: 3, address: 0, quantity: 10 }))).toBe('01 03 00 00 00 0a c5 cd');
  });

  it('packs coil bits least significant bit first and trims them to the quantity asked', () => {
    const bytes = encodeResponse(1, { fc: 1, bits: [true, false, true, true, false, false, false, false, true] });
    expect(toHex(bytes.subarray(0, 5))).toBe('01 01 02 0d 01');
    const asked: RtuRequest = { unitId: 1, request: { fc: 1, address: 0, quantity: 9 } };
    expect(decodeResponse(bytes, asked).response).toEqual({ fc: 1, bits: [true, false, true, true, false, false, false, false, true] });
    expect(decodeResponse(bytes).response).toEqual({ fc: 1, bits: [true, false, true, true, false, false, false, false, true, false, false, false, false, false, false, false] });
  });
});

describe('RTU writes', () => {
  it('encodes and decodes a single-register write and its echo', () => {
    expect(encodeRequest(1, { fc: 6, address: 1, value: 3 })).toEqual(WRITE_SINGLE);
    expect(decodeRequest(WRITE_SINGLE)).toEqual({ unitId: 1, request: { fc: 6, address: 1, value: 3 } });
    expect(decodeResponse(WRITE_SINGLE, decodeRequest(WRITE_SINGLE)).response).toEqual({ fc: 6, address: 1, value: 3 });
  });

  it('encodes and decodes the specification example of a multiple-register write', () => {
    const asked: RtuRequest = { unitId: 0x11, request: { fc: 16, address: 1, values: [0x000a, 0x0102] } };
    expect(encodeRequest(asked.unitId, asked.request)).toEqual(WRITE_MULTIPLE);
    expect(decodeRequest(WRITE_MULTIPLE)).toEqual(asked);
    expect(encodeResponse(0x11, { fc: 16, address: 1, quantity: 2 })).toEqual(WRITE_MULTIPLE_ACK);
    expect(decodeResponse(WRITE_MULTIPLE_ACK, asked).response).toEqual({ fc: 16, address: 1, quantity: 2 });
  });

  it('reports a write echo that differs from the request as bad-field', () => {
    const asked: RtuRequest = { unitId: 1, request: { fc: 6, address: 1, value: 4 } };
    expect(codeOf(() => decodeResponse(WRITE_SINGLE, asked))).toBe('bad-field');
  });
});

describe('RTU exception responses', () => {
  it('encodes exception 2 to a read of input registers', () => {
    expect(encodeResponse(1, { fc: 4, exception: 2 })).toEqual(SENSOR_EXCEPTION);
  });

  it('throws code exception naming the exception and the function', () => {
    const err = errorOf(() => decodeResponse(SENSOR_EXCEPTION, ASKED));
    expect(err?.code).toBe('exception');
    expect(err?.exception).toEqual({ functionCode: 4, code: 2, name: 'illegal-data-address' });
    expect(err?.message).toContain('illegal-data-address');
  });

  it('names exception codes outside the standard list by number', () => {
    const err = errorOf(() => decodeResponse(encodeResponse(1, { fc: 3, exception: 0x42 })));
    expect(err?.exception?.name).toBe('exception-66');
  });
});

describe('RTU decoding rejects trouble by code', () => {
  it('reports a flipped data bit as crc, naming both CRCs', () => {
    const bytes = SENSOR_RESPONSE.slice();
    bytes[4] = 0x30;
    expect(codeOf(() => decodeResponse(bytes))).toBe('crc');
    expect(() => decodeResponse(bytes)).toThrow(/expected 0x[0-9a-f]{4}, frame carries 0xce2a/);
  });

  it('reports a response cut short as truncated, not as a CRC error', () => {
    expect(codeOf(() => decodeResponse(SENSOR_RESPONSE.subarray(0, 7)))).toBe('truncated');
    expect(codeOf(() => decodeResponse(SENSOR_RESPONSE.subarray(0, 2)))).toBe('truncated');
    expect(codeOf(() => decodeRequest(WRITE_MULTIPLE.subarray(0, 6)))).toBe('truncated');
  });

  it('reports trailing bytes after the frame as bad-length', () => {
    expect(codeOf(() => decodeResponse(Uint8Array.from([...SENSOR_RESPONSE, 0x00])))).toBe('bad-length');
  });

  it('reports a response to another function as bad-function', () => {
    expect(codeOf(() => decodeResponse(SENSOR_RESPONSE, { unitId: 1, request: { fc: 3, address: 1, quantity: 2 } }))).toBe('bad-function');
  });

  it('reports a valid frame with an unknown function code as bad-function', () => {
    expect(codeOf(() => decodeRequest(appendCrc(fromHex('01 2b 0e 01 00'))))).toBe('bad-function');
  });

  it('reports an unknown function code with a bad CRC as crc (noise, not a new function)', () => {
    expect(codeOf(() => decodeRequest(fromHex('01 2b 0e 01 00 00 00')))).toBe('crc');
  });

  it('reports a response with fewer registers than asked as bad-length', () => {
    expect(codeOf(() => decodeResponse(SENSOR_RESPONSE, { unitId: 1, request: { fc: 4, address: 1, quantity: 3 } }))).toBe('bad-length');
  });

  it('reports an odd byte count in a register read as bad-length', () => {
    expect(codeOf(() => decodeResponse(appendCrc(fromHex('01 03 03 00 01 02'))))).toBe('bad-length');
  });

  it('reports an answer from another unit as bad-unit', () => {
    expect(codeOf(() => decodeResponse(SENSOR_RESPONSE, { ...ASKED, unitId: 2 }))).toBe('bad-unit');
  });

  it('reports a read request for 126 registers as bad-length', () => {
    expect(codeOf(() => decodeRequest(appendCrc(fromHex('01 03 00 00 00 7e'))))).toBe('bad-length');
  });
});

describe('RTU encoding refuses what cannot go on the wire', () => {
  it('refuses a quantity of 0 or over the limit as bad-length', () => {
    expect(codeOf(() => encodeRequest(1, { fc: 3, address: 0, quantity: 0 }))).toBe('bad-length');
    expect(codeOf(() => encodeRequest(1, { fc: 4, address: 0, quantity: 126 }))).toBe('bad-length');
    expect(codeOf(() => encodeRequest(1, { fc: 16, address: 0, values: new Array<number>(124).fill(0) }))).toBe('bad-length');
  });

  it('refuses fields outside their range as bad-field', () => {
    expect(codeOf(() => encodeRequest(256, { fc: 3, address: 0, quantity: 1 }))).toBe('bad-field');
    expect(codeOf(() => encodeRequest(1, { fc: 3, address: 0x10000, quantity: 1 }))).toBe('bad-field');
    expect(codeOf(() => encodeRequest(1, { fc: 3, address: 0xffff, quantity: 2 }))).toBe('bad-field');
    expect(codeOf(() => encodeRequest(1, { fc: 6, address: 0, value: -1 }))).toBe('bad-field');
    expect(codeOf(() => encodeResponse(1, { fc: 3, registers: [0x10000] }))).toBe('bad-field');
  });
});

describe('rtuFrameLength', () => {
  it('tells each frame size from its function code and byte count', () => {
    expect(rtuFrameLength(SENSOR_REQUEST, 'request')).toBe(8);
    expect(rtuFrameLength(SENSOR_RESPONSE, 'response')).toBe(9);
    expect(rtuFrameLength(SENSOR_EXCEPTION, 'response')).toBe(5);
    expect(rtuFrameLength(WRITE_MULTIPLE, 'request')).toBe(13);
    expect(rtuFrameLength(WRITE_MULTIPLE_ACK, 'response')).toBe(8);
  });

  it('waits for the byte count before telling a read response size', () => {
    expect(rtuFrameLength(SENSOR_RESPONSE.subarray(0, 2), 'response')).toBeUndefined();
    expect(rtuFrameLength(SENSOR_RESPONSE.subarray(0, 1), 'response')).toBeUndefined();
    expect(rtuFrameLength(WRITE_MULTIPLE.subarray(0, 6), 'request')).toBeUndefined();
  });
});
