import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex } from './bytes.js';
import { decodeFrame, encodeFrame } from './frame.js';
import { NovaStarFramer, type FramerEvent } from './framer.js';
import { frameArb, splitAt } from './test-utils/arbitraries.js';

// Reference worked frames: temperature answer (22 bytes) and model id answer (22 bytes).
const TEMPERATURE = fromHex('aa55003200fe0100000000000000000a020080485a57');
const MODEL = fromHex('aa55000000fe00000000000002000000020007116f56');
const TEMPERATURE_REQUEST = fromHex('55aa0032fe000100000000000000000a02009256');
// The vendor's request with a misprinted checksum (87 56; the bytes sum to 89 56).
const BAD_CHECKSUM = fromHex('55aa0032fe000000000000000200000002008756');

function pushAll(framer: NovaStarFramer, chunks: readonly Uint8Array[]): FramerEvent[] {
  return chunks.flatMap((c) => framer.push(c));
}

function summary(events: readonly FramerEvent[]): string[] {
  return events.map((e) => (e.type === 'frame' ? `frame serial ${e.frame.serial}` : `error ${e.error.code} skipped ${e.skipped}`));
}

describe('NovaStarFramer stream trouble', () => {
  it('assembles a frame delivered byte by byte', () => {
    const framer = new NovaStarFramer();
    const events = pushAll(framer, Array.from(TEMPERATURE, (b) => Uint8Array.of(b)));
    expect(events).toEqual([{ type: 'frame', frame: decodeFrame(TEMPERATURE), raw: TEMPERATURE }]);
    expect(framer.buffered).toBe(0);
  });

  it('skips leading noise and reports how many bytes it dropped', () => {
    const framer = new NovaStarFramer();
    const events = framer.push(Uint8Array.from([0x00, 0x13, 0x55, 0x37, 0xaa, ...TEMPERATURE]));
    expect(summary(events)).toEqual(['error bad-head skipped 5', 'frame serial 50']);
  });

  it('reports a bad checksum and recovers at the next head', () => {
    const framer = new NovaStarFramer();
    const events = framer.push(Uint8Array.from([...BAD_CHECKSUM, ...MODEL]));
    expect(summary(events)).toEqual([`error checksum skipped ${BAD_CHECKSUM.length}`, 'frame serial 0']);
  });

  it('recovers from a bad checksum when the frames arrive byte by byte', () => {
    const framer = new NovaStarFramer();
    const events = pushAll(framer, Array.from([...BAD_CHECKSUM, ...MODEL], (b) => Uint8Array.of(b)));
    expect(events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.code)).toContain('checksum');
    expect(events.filter((e) => e.type === 'frame')).toEqual([{ type: 'frame', frame: decodeFrame(MODEL), raw: MODEL }]);
  });

  it('emits two frames that arrive in one chunk, in order', () => {
    const framer = new NovaStarFramer();
    expect(summary(framer.push(Uint8Array.from([...TEMPERATURE, ...MODEL])))).toEqual(['frame serial 50', 'frame serial 0']);
  });

  it('holds a truncated tail until the rest arrives', () => {
    const framer = new NovaStarFramer();
    expect(framer.push(TEMPERATURE.subarray(0, 19))).toEqual([]);
    expect(framer.buffered).toBe(19);
    expect(summary(framer.push(TEMPERATURE.subarray(19)))).toEqual(['frame serial 50']);
  });

  it('reports a partial frame as truncated when the caller gives up waiting', () => {
    const framer = new NovaStarFramer();
    framer.push(TEMPERATURE.subarray(0, 12));
    expect(summary(framer.flush())).toEqual(['error truncated skipped 12']);
    expect(framer.buffered).toBe(0);
    expect(framer.flush()).toEqual([]);
  });

  it('keeps a trailing 0x55 that may start a head and drops other noise', () => {
    const framer = new NovaStarFramer();
    expect(summary(framer.push(Uint8Array.of(0x01, 0x02, 0x55)))).toEqual(['error bad-head skipped 2']);
    expect(framer.buffered).toBe(1);
    // The request 55 AA 00 32 … arrives with its first byte already buffered.
    expect(summary(framer.push(TEMPERATURE_REQUEST.subarray(1)))).toEqual(['frame serial 50']);
  });

  it('treats a header claiming more data than the limit as noise instead of waiting for it', () => {
    const framer = new NovaStarFramer({ maxDataLength: 16 });
    // A read response header whose length field says 0x0400 bytes, then a real frame.
    const falseHead = fromHex('aa55000000fe000000000000000000000004');
    const events = framer.push(Uint8Array.from([...falseHead, ...MODEL]));
    expect(summary(events)).toEqual([`error bad-length skipped ${falseHead.length}`, 'frame serial 0']);
  });

  it('finds a real frame that starts inside a false head', () => {
    const framer = new NovaStarFramer();
    // 55 AA followed by a direction byte of 7 cannot be a frame; the response after it is.
    const junk = fromHex('55aa00000000000000000700000000000000');
    expect(summary(framer.push(Uint8Array.from([...junk, ...MODEL])))).toEqual([`error bad-field skipped ${junk.length}`, 'frame serial 0']);
  });

  it('never holds more than one partial frame', () => {
    const framer = new NovaStarFramer({ maxDataLength: 64 });
    const noise = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 37) & 0x7f);
    framer.push(noise);
    expect(framer.buffered).toBeLessThan(20 + 64);
  });
});

describe('NovaStarFramer properties', () => {
  it('yields exactly the frames sent, under any chunking', () => {
    fc.assert(
      fc.property(fc.array(frameArb(), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const wire = Uint8Array.from(frames.flatMap((f) => [...encodeFrame(f)]));
        const events = pushAll(new NovaStarFramer(), splitAt(wire, cuts));
        expect(events.map((e) => (e.type === 'frame' ? e.frame : e))).toEqual(frames);
      }),
      { numRuns: 500 },
    );
  });

  it('yields every frame after noise that holds no head byte, under any chunking', () => {
    const noiseByte = fc.integer({ min: 0, max: 0xff }).filter((b) => b !== 0x55 && b !== 0xaa);
    fc.assert(
      fc.property(frameArb(), fc.array(noiseByte, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (frame, noise, cuts) => {
        const wire = Uint8Array.from([...noise, ...encodeFrame(frame)]);
        const events = pushAll(new NovaStarFramer(), splitAt(wire, cuts));
        expect(events.filter((e) => e.type === 'frame').map((e) => e.frame)).toEqual([frame]);
        const skipped = events.reduce((n, e) => n + (e.type === 'error' ? e.skipped : 0), 0);
        expect(skipped).toBe(noise.length);
      }),
    );
  });

  it('round-trips any frame through encodeFrame and decodeFrame', () => {
    fc.assert(
      fc.property(frameArb(), (frame) => {
        expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
      }),
    );
  });
});
