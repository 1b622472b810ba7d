import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.js';
import { describeFrame } from './describe.js';
import { NovaStarError } from './errors.js';
import { encodeFrame } from './frame.js';
import { readRequest, readResponse } from './messages.js';
import { codeOf } from './test-utils/errors.js';
import { MONITORING_BLOCK, MONITORING_DECODED } from './test-utils/monitoring-block.js';

// A receiving card that is not there: the sending card answers the monitoring read with ack 1.
const MISSING_CARD = [
  'aa 55', // head: response
  '01', // ack 1: timeout reaching the card
  '32', // serial 50
  '00', // source: device 0
  'fe', // destination: PC
  '01', // deviceType: receiving card
  '00', // port 0
  '03 00', // board 3
  '00', // direction: read
  '00', // reserved
  '00 00 00 0a', // address 0x0A000000
  '00 00', // length 0: no data with ack ≠ 0
  '94 56', // checksum 0x5694
].join(' ');

describe('describeFrame', () => {
  it('describes a monitoring-block read response with every decoded field', () => {
    const request = readRequest({ serial: 7, destination: 0, deviceType: 1, port: 1, board: 2, address: 0x0a000000, length: 82 });
    const hex = toHex(encodeFrame(readResponse(request, MONITORING_BLOCK)));
    expect(describeFrame(hex)).toEqual({
      head: 'response',
      ack: 0,
      serial: 7,
      source: 0,
      destination: 0xfe,
      deviceType: 1,
      port: 1,
      board: 2,
      direction: 'read',
      address: '0x0a000000',
      length: 82,
      data: toHex(MONITORING_BLOCK),
      decoded: MONITORING_DECODED,
    });
  });

  it('gives the monitoring fields the field tool shows, ribbon errors as a count of 1 bits', () => {
    const request = readRequest({ serial: 7, destination: 0, deviceType: 1, port: 0, board: 0, address: 0x0a000000, length: 82 });
    const { decoded } = describeFrame(toHex(encodeFrame(readResponse(request, MONITORING_BLOCK))));
    expect(decoded).toMatchObject({
      temperatureC: 36,
      voltageV: 4.1,
      monitorCard: { present: true, humidity: null, smoke: true, fansRpm: [1500, 1600, null, 0], doorsOpen: [false, true], ribbonErrors: 4 },
    });
  });

  it('decodes the reference temperature answer to 36 °C', () => {
    expect(describeFrame('AA 55 00 32 00 FE 01 00 00 00 00 00 00 00 00 0A 02 00 80 48 5A 57').decoded).toEqual({ temperatureC: 36 });
  });

  it('still describes a response with ack 1 and says what the ack means', () => {
    expect(describeFrame(MISSING_CARD)).toEqual({
      head: 'response',
      ack: 1,
      serial: 0x32,
      source: 0,
      destination: 0xfe,
      deviceType: 1,
      port: 0,
      board: 3,
      direction: 'read',
      address: '0x0a000000',
      length: 0,
      data: '',
      ackMeaning: 'timeout: no answer from the addressed card (missing, unpowered or cable fault)',
    });
  });

  it('describes a request without a decoded value', () => {
    expect(describeFrame('55aa0016fe000000000000001700000201008356')).toEqual({
      head: 'request', ack: 0, serial: 0x16, source: 0xfe, destination: 0, deviceType: 0, port: 0, board: 0,
      direction: 'read', address: '0x02000017', length: 1, data: '',
    });
  });

  it('leaves out decoded for a register it does not know', () => {
    // Vendor example: cabinet width 304 at 0x02100006, not in the register map.
    expect(describeFrame('aa55003200fe0000000000000600100202003001d056')).not.toHaveProperty('decoded');
  });

  it('throws code checksum naming the expected and the actual checksum', () => {
    // The vendor sheet prints 87 56 for this request; its bytes sum to 0x5689.
    const misprinted = '55aa0032fe000000000000000200000002008756';
    expect(codeOf(() => describeFrame(misprinted))).toBe('checksum');
    expect(() => describeFrame(misprinted)).toThrow('bad checksum: expected 0x5689, frame carries 0x5687');
  });

  it('refuses text that is not hex bytes with code bad-hex', () => {
    expect(codeOf(() => describeFrame('55aa0'))).toBe('bad-hex');
    expect(codeOf(() => describeFrame('hello'))).toBe('bad-hex');
    expect(() => describeFrame('zz')).toThrow(NovaStarError);
  });
});
