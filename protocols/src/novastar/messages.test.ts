import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.js';
import { NovaStarError } from './errors.js';
import { ALL_BOARDS, ALL_PORTS, PC_ADDRESS, decodeFrame, encodeFrame } from './frame.js';
import { ACK, ackMeaning, errorResponse, readRequest, readResponse, writeRequest, writeResponse } from './messages.js';

const TEMPERATURE = { serial: 0x32, destination: 0, deviceType: 1, port: 0, board: 0, address: 0x0a000000 };

describe('frame builders', () => {
  it('build the reference temperature read and its answer byte for byte', () => {
    const request = readRequest({ ...TEMPERATURE, length: 2 });
    expect(toHex(encodeFrame(request))).toBe('55aa0032fe000100000000000000000a02009256');
    const response = readResponse(request, Uint8Array.of(0x80, 0x48));
    expect(toHex(encodeFrame(response))).toBe('aa55003200fe0100000000000000000a020080485a57');
  });

  it('build the reference broadcast brightness write and its ack byte for byte', () => {
    const request = writeRequest({
      serial: 0x15, destination: 0, deviceType: 1, port: ALL_PORTS, board: ALL_BOARDS, address: 0x02000001,
      data: Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80),
    });
    expect(toHex(encodeFrame(request))).toBe('55aa0015fe0001ffffff01000100000205008080808080ef5b');
    expect(toHex(encodeFrame(writeResponse(request)))).toBe('aa55001500fe01ffffff01000100000200006a59');
  });

  it('swap source and destination in a response', () => {
    const response = readResponse(readRequest({ ...TEMPERATURE, destination: 3, length: 2 }), Uint8Array.of(1, 2));
    expect(response.source).toBe(3);
    expect(response.destination).toBe(PC_ADDRESS);
  });

  it('answer a missing card with ack 1, length 0 and no data', () => {
    const request = readRequest({ ...TEMPERATURE, board: 7, length: 82 });
    const answer = errorResponse(request, ACK.timeout);
    expect(answer).toMatchObject({ head: 'response', ack: 1, direction: 'read', board: 7, length: 0 });
    expect(answer.data.length).toBe(0);
    expect(decodeFrame(encodeFrame(answer))).toEqual(answer);
  });

  it('route an ack other than 0 in readResponse to the error form', () => {
    const request = readRequest({ ...TEMPERATURE, length: 2 });
    expect(readResponse(request, new Uint8Array(0), 4)).toEqual(errorResponse(request, 4));
    expect(() => readResponse(request, Uint8Array.of(1), 4)).toThrow(NovaStarError);
  });

  it('refuse to answer a frame that is not a request of the right direction', () => {
    const read = readRequest({ ...TEMPERATURE, length: 2 });
    expect(() => writeResponse(read)).toThrow(/expected a write request/);
    expect(() => readResponse(readResponse(read, Uint8Array.of(1, 2)), Uint8Array.of(1))).toThrow(/expected a read request/);
    expect(() => errorResponse(read, 0)).toThrow(/ack other than 0/);
  });
});

describe('ack meanings', () => {
  it('explain each ack the reference defines and name unknown ones', () => {
    expect(ackMeaning(0)).toBe('ok');
    expect(ackMeaning(1)).toMatch(/^timeout/);
    expect(ackMeaning(2)).toMatch(/checksum.*request|request.*checksum/);
    expect(ackMeaning(4)).toBe('invalid command');
    expect(ackMeaning(9)).toBe('unknown ack 9');
  });
});
