import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.js';
import { ALL_BOARDS, ALL_PORTS, PC_ADDRESS, checksum, decodeFrame, encodeFrame, type NovaStarFrame } from './frame.js';
import { codeOf } from './test-utils/errors.js';
import { loadGoldenFrames } from './test-utils/golden.js';

// Worked frame from the reference: read the receiving-card temperature (port 0, card 0).
const TEMPERATURE_REQUEST = Uint8Array.from([
  0x55, 0xaa, // head: request
  0x00, // ack
  0x32, // serial 50
  0xfe, // source: PC
  0x00, // destination: first device in the chain
  0x01, // deviceType: receiving card
  0x00, // port 0
  0x00, 0x00, // board 0 (u16 LE)
  0x00, // direction: read
  0x00, // reserved
  0x00, 0x00, 0x00, 0x0a, // address 0x0A000000 (u32 LE): monitoring block
  0x02, 0x00, // length: 2 bytes wanted
  0x92, 0x56, // checksum 0x5692 = 0x5555 + 0x013d
]);

const TEMPERATURE_RESPONSE = Uint8Array.from([
  0xaa, 0x55, // head: response
  0x00, // ack: ok
  0x32, // serial 50, echoed
  0x00, // source: the device
  0xfe, // destination: PC
  0x01, // deviceType: receiving card
  0x00, // port 0
  0x00, 0x00, // board 0
  0x00, // direction: read
  0x00, // reserved
  0x00, 0x00, 0x00, 0x0a, // address 0x0A000000
  0x02, 0x00, // length: 2 bytes returned
  0x80, // data[0]: temperature valid, positive
  0x48, // data[1]: 72 × 0.5 °C = 36 °C
  0x5a, 0x57, // checksum 0x575a
]);

// Worked frame: read the sending-card model id; the answer is 0x1107 (MCTRL660 Pro).
const MODEL_RESPONSE = Uint8Array.from([
  0xaa, 0x55, // head: response
  0x00, // ack: ok
  0x00, // serial 0
  0x00, // source: device 0
  0xfe, // destination: PC
  0x00, // deviceType: sending card
  0x00, // port 0
  0x00, 0x00, // board 0
  0x00, // direction: read
  0x00, // reserved
  0x02, 0x00, 0x00, 0x00, // address 0x00000002: model id
  0x02, 0x00, // length 2
  0x07, 0x11, // model id 0x1107 (u16 LE)
  0x6f, 0x56, // checksum 0x566f
]);

// Worked frame: write brightness 0x80 ×5 to every card on every port.
const BRIGHTNESS_WRITE = Uint8Array.from([
  0x55, 0xaa, // head: request
  0x00, // ack
  0x15, // serial 21
  0xfe, // source: PC
  0x00, // destination 0
  0x01, // deviceType: receiving card
  0xff, // port: all
  0xff, 0xff, // board: all
  0x01, // direction: write
  0x00, // reserved
  0x01, 0x00, 0x00, 0x02, // address 0x02000001: brightness
  0x05, 0x00, // length 5 = data size
  0x80, 0x80, 0x80, 0x80, 0x80, // global, R, G, B, vR
  0xef, 0x5b, // checksum 0x5bef
]);

const BRIGHTNESS_ACK = Uint8Array.from([
  0xaa, 0x55, // head: response
  0x00, // ack: ok
  0x15, // serial 21
  0x00, // source
  0xfe, // destination: PC
  0x01, // deviceType: receiving card
  0xff, // port: all
  0xff, 0xff, // board: all
  0x01, // direction: write
  0x00, // reserved
  0x01, 0x00, 0x00, 0x02, // address 0x02000001
  0x00, 0x00, // length 0: a write response carries no data
  0x6a, 0x59, // checksum 0x596a
]);

describe('golden frames', () => {
  const golden = loadGoldenFrames();

  it('include both good frames and frames with a misprinted checksum', () => {
    expect(golden.filter((g) => g.checksumOk).length).toBeGreaterThan(40);
    expect(golden.filter((g) => !g.checksumOk).length).toBeGreaterThan(0);
  });

  for (const g of golden.filter((f) => f.checksumOk)) {
    it(`decodes "${g.label}" to the listed fields and re-encodes the same bytes`, () => {
      const frame = decodeFrame(g.bytes);
      expect(frame).toEqual(g.frame);
      expect(toHex(encodeFrame(frame))).toBe(g.hex);
    });
  }

  for (const g of golden.filter((f) => !f.checksumOk)) {
    it(`rejects "${g.label}" with code checksum`, () => {
      expect(codeOf(() => decodeFrame(g.bytes))).toBe('checksum');
    });
  }
});

describe('worked frames from the reference', () => {
  it('decodes the temperature read request field by field', () => {
    expect(decodeFrame(TEMPERATURE_REQUEST)).toEqual({
      head: 'request', ack: 0, serial: 0x32, source: PC_ADDRESS, destination: 0, deviceType: 1,
      port: 0, board: 0, direction: 'read', address: 0x0a000000, length: 2, data: new Uint8Array(0),
    });
  });

  it('decodes the temperature response with its two data bytes', () => {
    const frame = decodeFrame(TEMPERATURE_RESPONSE);
    expect(frame.head).toBe('response');
    expect(frame.source).toBe(0);
    expect(frame.destination).toBe(PC_ADDRESS);
    expect(Array.from(frame.data)).toEqual([0x80, 0x48]);
  });

  it('decodes the model id response as 0x1107', () => {
    const frame = decodeFrame(MODEL_RESPONSE);
    expect(frame.address).toBe(0x00000002);
    expect(frame.data[0]! | (frame.data[1]! << 8)).toBe(0x1107);
  });

  it('encodes the broadcast brightness write and its ack byte for byte', () => {
    const write: NovaStarFrame = {
      head: 'request', ack: 0, serial: 0x15, source: PC_ADDRESS, destination: 0, deviceType: 1,
      port: ALL_PORTS, board: ALL_BOARDS, direction: 'write', address: 0x02000001, length: 5,
      data: Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80),
    };
    expect(encodeFrame(write)).toEqual(BRIGHTNESS_WRITE);
    expect(encodeFrame({ ...write, head: 'response', source: 0, destination: PC_ADDRESS, length: 0, data: new Uint8Array(0) })).toEqual(
      BRIGHTNESS_ACK,
    );
  });

  it('computes the checksum as 0x5555 plus the plain byte sum, wrapping at 16 bits', () => {
    expect(checksum(TEMPERATURE_REQUEST.subarray(2, 18))).toBe(0x5692);
    expect(checksum(new Uint8Array(0))).toBe(0x5555);
    expect(checksum(new Uint8Array(0x200).fill(0xff))).toBe((0x5555 + 0x200 * 0xff) & 0xffff);
  });
});

describe('decodeFrame rejects malformed input by code', () => {
  it('reports a wrong head as bad-head', () => {
    const bytes = TEMPERATURE_REQUEST.slice();
    bytes[0] = 0x54;
    expect(codeOf(() => decodeFrame(bytes))).toBe('bad-head');
  });

  it('reports a frame cut short as truncated', () => {
    expect(codeOf(() => decodeFrame(TEMPERATURE_RESPONSE.subarray(0, 21)))).toBe('truncated');
    expect(codeOf(() => decodeFrame(TEMPERATURE_RESPONSE.subarray(0, 10)))).toBe('truncated');
    expect(codeOf(() => decodeFrame(TEMPERATURE_RESPONSE.subarray(0, 1)))).toBe('truncated');
  });

  it('reports trailing bytes after the frame as bad-length', () => {
    const longer = Uint8Array.from([...TEMPERATURE_RESPONSE, 0x00]);
    expect(codeOf(() => decodeFrame(longer))).toBe('bad-length');
  });

  it('reports a direction byte other than 0 or 1 as bad-field', () => {
    const bytes = TEMPERATURE_REQUEST.slice();
    bytes[10] = 2;
    expect(codeOf(() => decodeFrame(bytes))).toBe('bad-field');
  });

  it('reports a non-zero reserved byte with a correct checksum as bad-field', () => {
    const bytes = TEMPERATURE_REQUEST.slice();
    bytes[11] = 1;
    bytes[18] = 0x93; // checksum fixed up: 0x5693
    expect(codeOf(() => decodeFrame(bytes))).toBe('bad-field');
  });

  it('names the expected and the actual checksum in hex', () => {
    const bytes = TEMPERATURE_REQUEST.slice();
    bytes[18] = 0x90;
    expect(() => decodeFrame(bytes)).toThrow('bad checksum: expected 0x5692, frame carries 0x5690');
  });
});

describe('encodeFrame refuses frames it cannot put on the wire', () => {
  const base: NovaStarFrame = {
    head: 'request', ack: 0, serial: 0x15, source: PC_ADDRESS, destination: 0, deviceType: 1,
    port: ALL_PORTS, board: ALL_BOARDS, direction: 'write', address: 0x02000001, length: 5,
    data: Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80),
  };

  it('refuses data whose size differs from the length field', () => {
    expect(codeOf(() => encodeFrame({ ...base, length: 4 }))).toBe('bad-field');
  });

  it('refuses data in a read request', () => {
    expect(codeOf(() => encodeFrame({ ...base, direction: 'read' }))).toBe('bad-field');
  });

  it('refuses fields outside their byte range', () => {
    expect(codeOf(() => encodeFrame({ ...base, serial: 256 }))).toBe('bad-field');
    expect(codeOf(() => encodeFrame({ ...base, board: 0x10000 }))).toBe('bad-field');
    expect(codeOf(() => encodeFrame({ ...base, address: -1 }))).toBe('bad-field');
    expect(codeOf(() => encodeFrame({ ...base, port: 1.5 }))).toBe('bad-field');
  });
});
