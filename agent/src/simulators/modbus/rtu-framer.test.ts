import { modbus } from '@ledwatch/protocols';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RtuRequestFramer } from './rtu-framer.js';
import { REFERENCE_REQUEST } from './test-utils/reference.js';

const WRITE_TWO = modbus.encodeRequest(1, { fc: 16, address: 0x10, values: [0x1234, 0x5678] });

describe('RTU request framing in the simulator', () => {
  it('frames a request that arrives whole', () => {
    expect(new RtuRequestFramer().push(REFERENCE_REQUEST, 0)).toEqual([REFERENCE_REQUEST]);
  });

  it('frames a request split across chunks', () => {
    const framer = new RtuRequestFramer();
    expect(framer.push(REFERENCE_REQUEST.subarray(0, 3), 0)).toEqual([]);
    expect(framer.push(REFERENCE_REQUEST.subarray(3, 7), 5)).toEqual([]);
    expect(framer.push(REFERENCE_REQUEST.subarray(7), 10)).toEqual([REFERENCE_REQUEST]);
  });

  it('sizes a write-multiple request by its byte count', () => {
    const framer = new RtuRequestFramer();
    expect(framer.push(WRITE_TWO.subarray(0, 7), 0)).toEqual([]);
    expect(framer.push(WRITE_TWO.subarray(7), 1)).toEqual([WRITE_TWO]);
  });

  it('frames two requests sent back to back', () => {
    const both = Uint8Array.from([...REFERENCE_REQUEST, ...WRITE_TWO]);
    expect(new RtuRequestFramer().push(both, 0)).toEqual([REFERENCE_REQUEST, WRITE_TWO]);
  });

  it('skips leading noise', () => {
    const noisy = Uint8Array.from([0xff, 0x00, 0x77, ...REFERENCE_REQUEST]);
    expect(new RtuRequestFramer().push(noisy, 0)).toEqual([REFERENCE_REQUEST]);
  });

  it('drops a frame with a bad CRC and recovers on the next one', () => {
    const corrupt = REFERENCE_REQUEST.slice();
    corrupt[5] = 0x03; // quantity 3, CRC still for 2
    const framer = new RtuRequestFramer();
    expect(framer.push(corrupt, 0)).toEqual([]);
    expect(framer.push(REFERENCE_REQUEST, 100)).toEqual([REFERENCE_REQUEST]);
  });

  it('forgets a partial frame after a silent gap', () => {
    const framer = new RtuRequestFramer(20);
    expect(framer.push(REFERENCE_REQUEST.subarray(0, 4), 0)).toEqual([]);
    expect(framer.push(REFERENCE_REQUEST, 100)).toEqual([REFERENCE_REQUEST]);
  });

  it('frames any read request under any chunking', () => {
    const request = fc.record({
      unitId: fc.integer({ min: 1, max: 247 }),
      fc: fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const),
      address: fc.integer({ min: 0, max: 0xff00 }),
      quantity: fc.integer({ min: 1, max: 125 }),
    });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1 }), (requests, cuts) => {
        const frames = requests.map((r) => modbus.encodeRequest(r.unitId, { fc: r.fc, address: r.address, quantity: r.quantity }));
        const stream = Uint8Array.from(frames.flatMap((f) => [...f]));
        const framer = new RtuRequestFramer();
        const out: Uint8Array[] = [];
        for (let at = 0, i = 0; at < stream.length; i++) {
          const size = cuts[i % cuts.length] ?? 1;
          out.push(...framer.push(stream.subarray(at, at + size), i));
          at += size;
        }
        expect(out).toEqual(frames);
      }),
    );
  });
});
