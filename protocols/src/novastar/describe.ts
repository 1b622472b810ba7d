/**
 * The pure half of `ledwatch-agent decode novastar <hex>`: one frame's hex in, a JSON-ready
 * description out. A read response with ack 0 from a known register also gets `decoded`;
 * a response with ack ≠ 0 gets `ackMeaning`. A bad checksum throws `checksum`, naming the
 * expected and the actual value.
 */
import { fromHex, hex32, toHex } from './bytes.js';
import { NovaStarError } from './errors.js';
import { decodeFrame, type Direction, type Head, type NovaStarFrame } from './frame.js';
import { ackMeaning } from './messages.js';
import { lookupRegister } from './registers.js';

export interface FrameDescription {
  readonly head: Head;
  readonly ack: number;
  readonly serial: number;
  readonly source: number;
  readonly destination: number;
  readonly deviceType: number;
  readonly port: number;
  readonly board: number;
  readonly direction: Direction;
  /** `0x0a000000`: 8 lowercase hex digits. */
  readonly address: string;
  readonly length: number;
  /** Data bytes as lowercase hex, `""` when none. */
  readonly data: string;
  /** Responses with ack ≠ 0 only: what went wrong. */
  readonly ackMeaning?: string;
  /** Read responses (ack 0) of a known register whose data decodes. */
  readonly decoded?: unknown;
}

export function describeFrame(hex: string): FrameDescription {
  const frame = decodeFrame(fromHex(hex));
  const base: FrameDescription = {
    head: frame.head,
    ack: frame.ack,
    serial: frame.serial,
    source: frame.source,
    destination: frame.destination,
    deviceType: frame.deviceType,
    port: frame.port,
    board: frame.board,
    direction: frame.direction,
    address: hex32(frame.address),
    length: frame.length,
    data: toHex(frame.data),
  };
  if (frame.head === 'response' && frame.ack !== 0) return { ...base, ackMeaning: ackMeaning(frame.ack) };
  const decoded = decodeData(frame);
  return decoded === undefined ? base : { ...base, decoded };
}

/** The register value of a read response, or undefined (not a read response, unknown register, too few bytes). */
function decodeData(frame: NovaStarFrame): unknown {
  if (frame.head !== 'response' || frame.direction !== 'read') return undefined;
  const register = lookupRegister(frame.deviceType, frame.address);
  if (register === undefined) return undefined;
  try {
    return register.decode(frame.data);
  } catch (err) {
    if (err instanceof NovaStarError && err.code === 'short-data') return undefined;
    throw err;
  }
}
