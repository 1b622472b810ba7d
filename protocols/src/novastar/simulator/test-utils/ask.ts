/** Request helpers for simulator tests: build a request with the codec, return the one answer. */
import { DEVICE_TYPE, type NovaStarFrame } from '../../frame.js';
import { readRequest, writeRequest } from '../../messages.js';
import { MONITORING_BASE, MONITORING_BLOCK_LENGTH, decodeReceivingCardMonitoring, type ReceivingCardMonitoring } from '../../monitoring.js';
import type { RegisterDef } from '../../registers.js';
import type { NovaStarSimulator } from '../simulator.js';

export interface At {
  readonly port?: number;
  readonly board?: number;
  readonly destination?: number;
}

function target(deviceType: number, address: number, at: At) {
  return { serial: 0x21, destination: at.destination ?? 0, deviceType, port: at.port ?? 0, board: at.board ?? 0, address };
}

/** The single answer to a read; throws when there is none or more than one. */
export function read(sim: NovaStarSimulator, deviceType: number, address: number, length: number, at: At = {}): NovaStarFrame {
  return only(sim.handle(readRequest({ ...target(deviceType, address, at), length })));
}

export function write(sim: NovaStarSimulator, deviceType: number, address: number, data: Uint8Array, at: At = {}): NovaStarFrame {
  return only(sim.handle(writeRequest({ ...target(deviceType, address, at), data })));
}

/** Reads a register the codec knows and decodes the answer with the codec. */
export function readValue<T>(sim: NovaStarSimulator, def: RegisterDef<T, never>, at: At = {}, length = def.length): T {
  const answer = read(sim, def.deviceType, def.address, length, at);
  if (answer.ack !== 0) throw new Error(`read of ${def.name} answered ack ${answer.ack}`);
  return def.decode(answer.data);
}

function only(answers: NovaStarFrame[]): NovaStarFrame {
  const [answer, ...rest] = answers;
  if (answer === undefined || rest.length > 0) throw new Error(`expected one answer, got ${answers.length}`);
  return answer;
}

/** The whole 82-byte monitoring block of a card, decoded with the codec. */
export function readBlock(sim: NovaStarSimulator, at: At = {}): ReceivingCardMonitoring {
  const answer = read(sim, DEVICE_TYPE.receivingCard, MONITORING_BASE, MONITORING_BLOCK_LENGTH, at);
  if (answer.ack !== 0) throw new Error(`monitoring read answered ack ${answer.ack}`);
  return decodeReceivingCardMonitoring(answer.data);
}
