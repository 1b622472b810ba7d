/** fast-check generators for NovaStar frames: any field values the wire allows. */
import fc from 'fast-check';
import { carriesData, type NovaStarFrame } from '../frame.js';

export function frameArb(maxData = 300): fc.Arbitrary<NovaStarFrame> {
  return fc
    .record({
      head: fc.constantFrom('request' as const, 'response' as const),
      ack: fc.integer({ min: 0, max: 0xff }),
      serial: fc.integer({ min: 0, max: 0xff }),
      source: fc.integer({ min: 0, max: 0xff }),
      destination: fc.integer({ min: 0, max: 0xff }),
      deviceType: fc.integer({ min: 0, max: 0xff }),
      port: fc.integer({ min: 0, max: 0xff }),
      board: fc.integer({ min: 0, max: 0xffff }),
      direction: fc.constantFrom('read' as const, 'write' as const),
      address: fc.integer({ min: 0, max: 0xffffffff }),
      wanted: fc.integer({ min: 0, max: 0xffff }),
      data: fc.uint8Array({ maxLength: maxData }),
    })
    .map(({ wanted, data, ...header }) =>
      carriesData(header.head, header.direction)
        ? { ...header, length: data.length, data }
        : { ...header, length: wanted, data: new Uint8Array(0) },
    );
}

/** Cuts `bytes` at the given points (any order, duplicates allowed) into chunks. */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, p));
    start = p;
  }
  return chunks;
}
