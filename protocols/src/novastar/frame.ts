/**
 * NovaStar frame layout (M3 / Mars family), both directions:
 *
 *   0  head        2  55 AA request, AA 55 response
 *   2  ack         1  0 in requests; see ACK for responses
 *   3  serial      1  echoed by the response
 *   4  source      1  PC = FE
 *   5  destination 1  device index in the daisy chain, FF = all sending cards
 *   6  deviceType  1  0 sending card, 1 receiving card, 2 function card
 *   7  port        1  sending-card output port, FF = all
 *   8  board       2  u16 LE card position on the port chain, FFFF = all
 *  10  direction   1  0 read, 1 write
 *  11  reserved    1  0
 *  12  address     4  u32 LE register address
 *  16  length      2  u16 LE
 *  18  data        N  only in write requests and read responses (N = length)
 * 18+N checksum    2  u16 LE, (0x5555 + sum of bytes 2 .. 17+N) mod 0x10000
 *
 * Framing only: this module turns one frame's bytes into fields and back. Finding
 * frames in a byte stream is framer.ts; what the data means is registers.ts.
 */
import { checkUint, hex16, putU16le, putU32le, u16le, u32le } from './bytes.js';
import { NovaStarError } from './errors.js';

export const HEAD_REQUEST = [0x55, 0xaa] as const;
export const HEAD_RESPONSE = [0xaa, 0x55] as const;
/** The source address of a PC (and the destination of every response to it). */
export const PC_ADDRESS = 0xfe;
export const ALL_PORTS = 0xff;
export const ALL_BOARDS = 0xffff;
export const ALL_SENDING_CARDS = 0xff;

export const HEADER_LENGTH = 18;
export const CHECKSUM_LENGTH = 2;
/** A frame without data: header and checksum. */
export const MIN_FRAME_LENGTH = HEADER_LENGTH + CHECKSUM_LENGTH;
export const MAX_DATA_LENGTH = 0xffff;

export const DEVICE_TYPE = { sendingCard: 0, receivingCard: 1, functionCard: 2 } as const;

export type Head = 'request' | 'response';
export type Direction = 'read' | 'write';

export interface NovaStarFrame {
  readonly head: Head;
  readonly ack: number;
  readonly serial: number;
  readonly source: number;
  readonly destination: number;
  readonly deviceType: number;
  readonly port: number;
  readonly board: number;
  readonly direction: Direction;
  /** Register address, u32. */
  readonly address: number;
  /** Read request: bytes wanted. Write request and read response: data size. Write response: 0. */
  readonly length: number;
  readonly data: Uint8Array;
}

/**
 * Whether a frame with this head and direction carries `length` data bytes: write
 * requests and read responses do. A read response with ack ≠ 0 is no exception on the
 * wire; it is built with length 0 (see {@link errorResponse} in messages.ts), so it carries
 * no data either.
 */
export function carriesData(head: Head, direction: Direction): boolean {
  return head === 'request' ? direction === 'write' : direction === 'read';
}

/** `(0x5555 + sum(bytes)) mod 0x10000`; pass the bytes between the head and the checksum. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0x5555;
  for (const b of bytes) sum += b;
  return sum & 0xffff;
}

/** The head at `offset`, or undefined when the two bytes there are not a head. */
export function headAt(bytes: Uint8Array, offset: number): Head | undefined {
  const a = bytes[offset];
  const b = bytes[offset + 1];
  if (a === HEAD_REQUEST[0] && b === HEAD_REQUEST[1]) return 'request';
  if (a === HEAD_RESPONSE[0] && b === HEAD_RESPONSE[1]) return 'response';
  return undefined;
}

/**
 * Total size of the frame whose first {@link HEADER_LENGTH} (or more) bytes are given.
 * Throws `bad-field` for a direction that is neither read nor write, since then the size
 * is unknowable.
 */
export function frameSize(head: Head, header: Uint8Array): number {
  const direction = directionOf(header[10] ?? 0);
  const dataLength = carriesData(head, direction) ? u16le(header, 16) : 0;
  return HEADER_LENGTH + dataLength + CHECKSUM_LENGTH;
}

function directionOf(byte: number): Direction {
  if (byte === 0) return 'read';
  if (byte === 1) return 'write';
  throw new NovaStarError(
    'bad-field',
    `direction byte is ${byte}, neither 0 (read) nor 1 (write)`,
    'offset 10 of a NovaStar frame is 0 or 1; other values mean the bytes are not a NovaStar frame',
  );
}

/** Decodes exactly one frame: `bytes` must hold the whole frame and nothing else. */
export function decodeFrame(bytes: Uint8Array): NovaStarFrame {
  const head = headAt(bytes, 0);
  if (bytes.length < 2 || head === undefined) {
    throw new NovaStarError(
      bytes.length < 2 ? 'truncated' : 'bad-head',
      bytes.length < 2 ? `${bytes.length} bytes is too short for a NovaStar frame` : 'frame does not start with 55 AA or AA 55',
      'a NovaStar frame starts with 55 AA (request) or AA 55 (response)',
    );
  }
  if (bytes.length < MIN_FRAME_LENGTH) {
    throw new NovaStarError('truncated', `${bytes.length} bytes, a frame has at least ${MIN_FRAME_LENGTH}`, 'wait for or copy the whole frame');
  }
  const size = frameSize(head, bytes);
  if (bytes.length !== size) {
    throw new NovaStarError(
      bytes.length < size ? 'truncated' : 'bad-length',
      `length field ${u16le(bytes, 16)} makes a ${size}-byte frame, got ${bytes.length} bytes`,
      bytes.length < size ? 'wait for or copy the whole frame' : 'give exactly one frame; split a capture with NovaStarFramer',
    );
  }
  const body = bytes.subarray(2, size - CHECKSUM_LENGTH);
  const expected = checksum(body);
  const actual = u16le(bytes, size - CHECKSUM_LENGTH);
  if (expected !== actual) {
    throw new NovaStarError(
      'checksum',
      `bad checksum: expected ${hex16(expected)}, frame carries ${hex16(actual)}`,
      'line noise, a wrong baud rate, or a mistyped frame (the vendor sheet itself misprints two checksums)',
    );
  }
  if (bytes[11] !== 0) {
    throw new NovaStarError('bad-field', `reserved byte 11 is ${bytes[11]}, not 0`, 'offset 11 of a NovaStar frame is always 0');
  }
  return {
    head,
    ack: bytes[2] ?? 0,
    serial: bytes[3] ?? 0,
    source: bytes[4] ?? 0,
    destination: bytes[5] ?? 0,
    deviceType: bytes[6] ?? 0,
    port: bytes[7] ?? 0,
    board: u16le(bytes, 8),
    direction: directionOf(bytes[10] ?? 0),
    address: u32le(bytes, 12),
    length: u16le(bytes, 16),
    data: bytes.slice(HEADER_LENGTH, size - CHECKSUM_LENGTH),
  };
}

/** Encodes a frame, checking every field's range and that data matches the length field. */
export function encodeFrame(frame: NovaStarFrame): Uint8Array {
  for (const field of ['ack', 'serial', 'source', 'destination', 'deviceType', 'port'] as const) {
    checkUint(field, frame[field], 0xff);
  }
  checkUint('board', frame.board, 0xffff);
  checkUint('address', frame.address, 0xffffffff);
  checkUint('length', frame.length, MAX_DATA_LENGTH);
  const withData = carriesData(frame.head, frame.direction);
  const dataLength = withData ? frame.length : 0;
  if (frame.data.length !== dataLength) {
    throw new NovaStarError(
      'bad-field',
      withData
        ? `${frame.head} ${frame.direction} frame has length ${frame.length} but ${frame.data.length} data bytes`
        : `a ${frame.direction} ${frame.head} carries no data, got ${frame.data.length} bytes`,
      'data goes only in write requests and read responses, and then length = data size',
    );
  }
  const bytes = new Uint8Array(HEADER_LENGTH + dataLength + CHECKSUM_LENGTH);
  bytes.set(frame.head === 'request' ? HEAD_REQUEST : HEAD_RESPONSE, 0);
  bytes[2] = frame.ack;
  bytes[3] = frame.serial;
  bytes[4] = frame.source;
  bytes[5] = frame.destination;
  bytes[6] = frame.deviceType;
  bytes[7] = frame.port;
  putU16le(bytes, 8, frame.board);
  bytes[10] = frame.direction === 'write' ? 1 : 0;
  bytes[11] = 0;
  putU32le(bytes, 12, frame.address);
  putU16le(bytes, 16, frame.length);
  bytes.set(frame.data, HEADER_LENGTH);
  putU16le(bytes, bytes.length - CHECKSUM_LENGTH, checksum(bytes.subarray(2, bytes.length - CHECKSUM_LENGTH)));
  return bytes;
}
