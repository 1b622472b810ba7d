/**
 * Builders for the four frame kinds, and the meaning of a response's ack byte.
 *
 * A response swaps source and destination and echoes serial, deviceType, port, board,
 * direction and address. An ack ≠ 0 response carries length 0 and no data, whether it
 * answers a read or a write: the reference has no ack ≠ 0 capture, so this codec picks the
 * one form that frames the same way as every other response (data size = length field).
 */
import { NovaStarError } from './errors.js';
import { PC_ADDRESS, type NovaStarFrame } from './frame.js';

export const ACK = {
  ok: 0,
  /** The sending card got no answer from the addressed card (e.g. card missing). */
  timeout: 1,
  requestChecksum: 2,
  responseChecksum: 3,
  invalidCommand: 4,
} as const;

const ACK_MEANINGS: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'timeout: no answer from the addressed card (missing, unpowered or cable fault)',
  2: 'the device saw a bad checksum in the request',
  3: 'response checksum error (reported by the device)',
  4: 'invalid command',
};

export function ackMeaning(ack: number): string {
  return ACK_MEANINGS[ack] ?? `unknown ack ${ack}`;
}

export interface Target {
  readonly serial: number;
  readonly destination: number;
  readonly deviceType: number;
  readonly port: number;
  readonly board: number;
  readonly address: number;
}

export function readRequest(target: Target & { readonly length: number }): NovaStarFrame {
  return { ...request(target), direction: 'read', length: target.length, data: new Uint8Array(0) };
}

export function writeRequest(target: Target & { readonly data: Uint8Array }): NovaStarFrame {
  return { ...request(target), direction: 'write', length: target.data.length, data: target.data };
}

/** The answer to a read request. An ack ≠ 0 answer carries no data: use {@link errorResponse}. */
export function readResponse(request: NovaStarFrame, data: Uint8Array, ack = 0): NovaStarFrame {
  expectRequest(request, 'read');
  if (ack !== 0) {
    if (data.length > 0) {
      throw new NovaStarError('bad-field', `a read response with ack ${ack} carries no data`, 'use errorResponse(request, ack)');
    }
    return errorResponse(request, ack);
  }
  return { ...response(request, 0), length: data.length, data };
}

export function writeResponse(request: NovaStarFrame, ack = 0): NovaStarFrame {
  expectRequest(request, 'write');
  return { ...response(request, ack), length: 0, data: new Uint8Array(0) };
}

/** What a device answers when it cannot serve the request, e.g. ack 1 for a missing card. */
export function errorResponse(request: NovaStarFrame, ack: number): NovaStarFrame {
  expectRequest(request, request.direction);
  if (ack === 0) {
    throw new NovaStarError('bad-field', 'an error response needs an ack other than 0', 'use readResponse or writeResponse for ack 0');
  }
  return { ...response(request, ack), length: 0, data: new Uint8Array(0) };
}

function request(target: Target): Omit<NovaStarFrame, 'direction' | 'length' | 'data'> {
  return {
    head: 'request',
    ack: 0,
    serial: target.serial,
    source: PC_ADDRESS,
    destination: target.destination,
    deviceType: target.deviceType,
    port: target.port,
    board: target.board,
    address: target.address,
  };
}

function response(request: NovaStarFrame, ack: number): Omit<NovaStarFrame, 'length' | 'data'> {
  return {
    head: 'response',
    ack,
    serial: request.serial,
    source: request.destination,
    destination: request.source,
    deviceType: request.deviceType,
    port: request.port,
    board: request.board,
    direction: request.direction,
    address: request.address,
  };
}

function expectRequest(frame: NovaStarFrame, direction: NovaStarFrame['direction']): void {
  if (frame.head !== 'request' || frame.direction !== direction) {
    throw new NovaStarError(
      'bad-field',
      `expected a ${direction} request, got a ${frame.direction} ${frame.head}`,
      'build responses from the request they answer',
    );
  }
}
