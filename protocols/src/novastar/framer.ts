/**
 * Finds NovaStar frames in a byte stream (serial or TCP): chunks may split a frame or hold
 * several, and noise may sit between frames. Pure: no timers. When a request times out,
 * the caller calls {@link NovaStarFramer.flush} to drop a partial frame.
 *
 * Recovery: bytes before a head are skipped (one `bad-head` event per run); a frame that
 * fails to decode (checksum, bad field, length over the limit) is reported and the search
 * resumes one byte after its head, so a real frame hidden behind a false head is found.
 */
import { NovaStarError } from './errors.js';
import { HEADER_LENGTH, MIN_FRAME_LENGTH, decodeFrame, frameSize, headAt, type NovaStarFrame } from './frame.js';

export type FramerEvent =
  | { readonly type: 'frame'; readonly frame: NovaStarFrame; /** the frame's bytes, for trace logs */ readonly raw: Uint8Array }
  | { readonly type: 'error'; readonly error: NovaStarError; /** bytes dropped because of this error */ readonly skipped: number };

export interface FramerOptions {
  /**
   * Largest data size accepted (default 1024; NovaStar tools read and write 256 bytes at a
   * time). A header claiming more is treated as noise, so a false head cannot make the
   * framer wait for 64 KiB. The buffer never holds more than one partial frame.
   */
  readonly maxDataLength?: number;
}

export const DEFAULT_MAX_DATA_LENGTH = 1024;

interface Pending {
  error: NovaStarError | undefined;
  skipped: number;
}

export class NovaStarFramer {
  readonly #maxDataLength: number;
  #buffer = new Uint8Array(0);
  #pending: Pending | undefined;
  #events: FramerEvent[] = [];

  constructor(options: FramerOptions = {}) {
    this.#maxDataLength = options.maxDataLength ?? DEFAULT_MAX_DATA_LENGTH;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.#buffer.length;
  }

  push(chunk: Uint8Array): FramerEvent[] {
    const buf = new Uint8Array(this.#buffer.length + chunk.length);
    buf.set(this.#buffer, 0);
    buf.set(chunk, this.#buffer.length);
    this.#events = [];
    const consumed = this.#scan(buf);
    this.#buffer = buf.slice(consumed);
    this.#flushPending();
    return this.#events;
  }

  /** Gives up on buffered bytes (the caller's request timed out); reports them as an error. */
  flush(): FramerEvent[] {
    const buf = this.#buffer;
    this.#buffer = new Uint8Array(0);
    if (buf.length === 0) return [];
    const partial = headAt(buf, 0) !== undefined;
    const error = partial
      ? new NovaStarError('truncated', `gave up on a partial frame of ${buf.length} bytes`, 'the device stopped mid-frame: check the cable and the baud rate')
      : new NovaStarError('bad-head', `gave up on ${buf.length} byte(s) that do not start a frame`, 'noise on the line: check the cable and the baud rate');
    return [{ type: 'error', error, skipped: buf.length }];
  }

  /** Emits every whole frame in `buf`; returns how many bytes are done with. */
  #scan(buf: Uint8Array): number {
    let pos = 0;
    for (;;) {
      const start = findHead(buf, pos);
      if (start < 0) {
        // Keep a last byte that may be the first half of a head.
        const last = buf[buf.length - 1];
        const keep = buf.length > pos && (last === 0x55 || last === 0xaa) ? 1 : 0;
        this.#skip(buf.length - keep - pos);
        return buf.length - keep;
      }
      this.#skip(start - pos);
      pos = start;
      if (buf.length - pos < HEADER_LENGTH) return pos;
      let size: number;
      try {
        size = frameSize(headAt(buf, pos) ?? 'request', buf.subarray(pos, pos + HEADER_LENGTH));
      } catch (err) {
        pos = this.#fail(err, pos);
        continue;
      }
      if (size - MIN_FRAME_LENGTH > this.#maxDataLength) {
        pos = this.#fail(
          new NovaStarError(
            'bad-length',
            `header claims ${size - MIN_FRAME_LENGTH} data bytes, over the ${this.#maxDataLength}-byte limit`,
            'likely noise that looks like a head; raise maxDataLength if the device really sends that much',
          ),
          pos,
        );
        continue;
      }
      if (buf.length - pos < size) return pos;
      const raw = buf.slice(pos, pos + size);
      try {
        const frame = decodeFrame(raw);
        this.#flushPending();
        this.#events.push({ type: 'frame', frame, raw });
        pos += size;
      } catch (err) {
        pos = this.#fail(err, pos);
      }
    }
  }

  #fail(err: unknown, pos: number): number {
    if (!(err instanceof NovaStarError)) throw err;
    this.#flushPending();
    this.#pending = { error: err, skipped: 1 };
    return pos + 1;
  }

  #skip(count: number): void {
    if (count <= 0) return;
    this.#pending ??= { error: undefined, skipped: 0 };
    this.#pending.skipped += count;
  }

  #flushPending(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    const error =
      pending.error ??
      new NovaStarError('bad-head', `skipped ${pending.skipped} byte(s) before a frame head`, 'noise on the line: check the cable and the baud rate');
    this.#events.push({ type: 'error', error, skipped: pending.skipped });
  }
}

function findHead(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) {
    if (headAt(buf, i) !== undefined) return i;
  }
  return -1;
}
