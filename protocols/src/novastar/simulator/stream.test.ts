import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes.js';
import { NovaStarFramer } from '../framer.js';
import { splitAt } from '../test-utils/arbitraries.js';
import { loadGoldenFrames } from '../test-utils/golden.js';
import { goldenModel } from './golden.js';
import { NovaStarSimulator } from './simulator.js';

// The reference's worked example: read the temperature of port 0 card 0 (2 bytes at 0x0A000000).
const TEMPERATURE_REQUEST = Uint8Array.from([
  0x55, 0xaa, // head: request
  0x00, // ack
  0x32, // serial
  0xfe, // source: PC
  0x00, // destination: controller 0
  0x01, // deviceType: receiving card
  0x00, // port 0
  0x00, 0x00, // board 0 (u16 LE)
  0x00, // direction: read
  0x00, // reserved
  0x00, 0x00, 0x00, 0x0a, // address 0x0A000000 (u32 LE)
  0x02, 0x00, // length: 2 bytes wanted
  0x92, 0x56, // checksum 0x5692
]);
const TEMPERATURE_ANSWER = 'aa55003200fe0100000000000000000a020080485a57'; // → 80 48 = 36 °C

// Read the 82-byte block of port 0 card 8, beyond the golden model's 4 cards per port.
const MISSING_CARD_REQUEST = Uint8Array.from([
  0x55, 0xaa, // head: request
  0x00, // ack
  0x40, // serial
  0xfe, // source: PC
  0x00, // destination: controller 0
  0x01, // deviceType: receiving card
  0x00, // port 0
  0x08, 0x00, // board 8
  0x00, // direction: read
  0x00, // reserved
  0x00, 0x00, 0x00, 0x0a, // address 0x0A000000
  0x52, 0x00, // length: 82 bytes wanted
  0xf8, 0x56, // checksum 0x56F8
]);
const MISSING_CARD_ANSWER = Uint8Array.from([
  0xaa, 0x55, // head: response
  0x01, // ack 1: timeout reaching the card
  0x40, // serial, echoed
  0x00, // source: controller 0
  0xfe, // destination: PC
  0x01, // deviceType: receiving card
  0x00, // port 0
  0x08, 0x00, // board 8
  0x00, // direction: read
  0x00, // reserved
  0x00, 0x00, 0x00, 0x0a, // address 0x0A000000
  0x00, 0x00, // length 0: no data with ack ≠ 0
  0xa7, 0x56, // checksum 0x56A7
]);

// The vendor's SetSortOrder broadcast to all sending cards (destination FF).
const BROADCAST_REQUEST = fromHex('55aa007afeff00000000010000000001010000cf57');
const BROADCAST_ACK = Uint8Array.from([
  0xaa, 0x55, // head: response
  0x00, // ack 0
  0x7a, // serial, echoed
  0x00, // source: this controller's index, not FF
  0xfe, // destination: PC
  0x00, // deviceType: sending card
  0x00, // port 0
  0x00, 0x00, // board 0
  0x01, // direction: write
  0x00, // reserved
  0x00, 0x00, 0x00, 0x01, // address 0x01000000
  0x00, 0x00, // length 0
  0xcf, 0x56, // checksum 0x56CF
]);

function newSim(): NovaStarSimulator {
  return new NovaStarSimulator({ model: goldenModel() });
}

describe('NovaStarSimulator on a byte stream', () => {
  it('answers a request delivered byte by byte once its last byte arrives', () => {
    const sim = newSim();
    const outputs = Array.from(TEMPERATURE_REQUEST, (b) => toHex(sim.handleBytes(Uint8Array.of(b))));
    expect(outputs.slice(0, -1).every((out) => out === '')).toBe(true);
    expect(outputs.at(-1)).toBe(TEMPERATURE_ANSWER);
  });

  it('skips leading noise and answers the request after it', () => {
    expect(toHex(newSim().handleBytes(Uint8Array.from([0x00, 0x13, 0x55, 0x37, ...TEMPERATURE_REQUEST])))).toBe(TEMPERATURE_ANSWER);
  });

  it('ignores a request with a bad checksum and answers the next one', () => {
    const bad = TEMPERATURE_REQUEST.slice();
    bad[bad.length - 2] = 0x93; // checksum off by one
    expect(toHex(newSim().handleBytes(Uint8Array.from([...bad, ...TEMPERATURE_REQUEST])))).toBe(TEMPERATURE_ANSWER);
  });

  it('answers every request in one chunk, in order', () => {
    const out = newSim().handleBytes(Uint8Array.from([...TEMPERATURE_REQUEST, ...MISSING_CARD_REQUEST]));
    const frames = new NovaStarFramer().push(out).flatMap((e) => (e.type === 'frame' ? [e.raw] : []));
    expect(frames.map(toHex)).toEqual([TEMPERATURE_ANSWER, toHex(MISSING_CARD_ANSWER)]);
  });

  it('answers a card beyond the model with ack 1 and no data', () => {
    expect(newSim().handleBytes(MISSING_CARD_REQUEST)).toEqual(MISSING_CARD_ANSWER);
  });

  it('answers the vendor broadcast to all sending cards from its own index', () => {
    expect(newSim().handleBytes(BROADCAST_REQUEST)).toEqual(BROADCAST_ACK);
  });

  it('drops a partial request when the stream is reset for a new client', () => {
    const sim = newSim();
    expect(sim.handleBytes(TEMPERATURE_REQUEST.subarray(0, 10))).toHaveLength(0);
    sim.resetStream();
    expect(sim.handleBytes(TEMPERATURE_REQUEST.subarray(10))).toHaveLength(0);
    expect(toHex(sim.handleBytes(TEMPERATURE_REQUEST))).toBe(TEMPERATURE_ANSWER);
  });

  it('answers the same bytes however a stream of golden requests is chunked', () => {
    const requests = loadGoldenFrames().filter((g) => g.frame.head === 'request').map((g) => g.bytes);
    const stream = Uint8Array.from(requests.flatMap((bytes) => [...bytes]));
    const whole = newSim().handleBytes(stream);
    expect(whole.length).toBeGreaterThan(500);
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 30 }), (cuts) => {
        const sim = newSim();
        const parts = splitAt(stream, cuts).map((chunk) => sim.handleBytes(chunk));
        expect(Uint8Array.from(parts.flatMap((p) => [...p]))).toEqual(whole);
      }),
    );
  });
});
