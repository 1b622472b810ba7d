/**
 * Request framing for the RTU simulator: serial bytes → whole request frames. A frame's
 * size comes from its function code (protocols' `rtuFrameLength`), not from timing, so
 * split chunks and back-to-back frames both work. Silence longer than `gapMs` drops a
 * partial frame (RTU's 3.5-character rule, made generous for ptys); a frame with a bad
 * CRC or an unknown function code is skipped one byte at a time until the stream lines
 * up again, as a device on a noisy bus does.
 */
import { modbus } from '@ledwatch/protocols';

export class RtuRequestFramer {
  readonly #gapMs: number;
  #buffer: Uint8Array = new Uint8Array(0);
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(gapMs = 50) {
    this.#gapMs = gapMs;
  }

  /** Feeds bytes received at `now` (ms); returns the complete frames with a valid CRC. */
  push(chunk: Uint8Array, now: number): Uint8Array[] {
    if (now - this.#lastAt > this.#gapMs) this.#buffer = new Uint8Array(0);
    this.#lastAt = now;
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer, 0);
    joined.set(chunk, this.#buffer.length);
    let rest = joined;
    const frames: Uint8Array[] = [];
    while (rest.length >= 2) {
      const size = frameSize(rest);
      if (size === 'skip') {
        rest = rest.subarray(1);
        continue;
      }
      if (size === undefined || rest.length < size) break;
      const frame = rest.slice(0, size);
      if (!modbus.hasValidCrc(frame)) {
        rest = rest.subarray(1);
        continue;
      }
      frames.push(frame);
      rest = rest.subarray(size);
    }
    this.#buffer = rest.slice();
    return frames;
  }
}

function frameSize(bytes: Uint8Array): number | undefined | 'skip' {
  try {
    return modbus.rtuFrameLength(bytes, 'request');
  } catch {
    return 'skip'; // unknown function code: noise, or a frame this simulator cannot size
  }
}
