/**
 * Who the controller is (read on every new connection and when versions are due): model
 * id and name, serial, FPGA version. The model id read is also the liveness probe; serial
 * and FPGA version are optional, as not every model answers them.
 */
import { novastar } from '@ledwatch/protocols';
import { AgentError } from '../../errors.js';
import type { NovaStarClient } from './client.js';

export interface ControllerIdentity {
  readonly modelId: number;
  /** null when the model id is not in the codec's model table. */
  readonly model: string | null;
  readonly serial?: string;
  readonly fpgaVersion?: string;
}

type Register<T> = novastar.RegisterDef<T, never>;

/** Reads a register the codec knows, at a receiving card's position when `at` is given. */
export async function readRegister<T>(client: NovaStarClient, def: Register<T>, signal: AbortSignal, at: { port: number; board: number } = { port: 0, board: 0 }): Promise<T> {
  const data = await client.readData({ deviceType: def.deviceType, address: def.address, length: def.length, ...at }, signal);
  return def.decode(data);
}

/** Like {@link readRegister}, but undefined when the controller refuses the register (ack ≠ 0). */
export async function readOptional<T>(client: NovaStarClient, def: Register<T>, signal: AbortSignal): Promise<T | undefined> {
  try {
    return await readRegister(client, def, signal);
  } catch (err) {
    if (err instanceof AgentError && err.code === 'novastar-nack') return undefined;
    throw err;
  }
}

export async function identifyController(client: NovaStarClient, signal: AbortSignal): Promise<ControllerIdentity> {
  const r = novastar.REGISTERS;
  const model = await readRegister(client, r.sendingCardModel, signal);
  const serial = await readOptional(client, r.controllerSerial, signal);
  const fpgaVersion = await readOptional(client, r.sendingCardFpgaVersion, signal);
  return {
    modelId: model.id,
    model: model.name,
    ...(serial === undefined ? {} : { serial }),
    ...(fpgaVersion === undefined ? {} : { fpgaVersion }),
  };
}

/**
 * Output ports per sending-card model, from the vendors' spec sheets; the driver scans
 * this many ports for receiving cards unless `ports` is configured.
 */
export const MODEL_PORTS: Readonly<Record<number, number>> = {
  0x0001: 2, // MCTRL300
  0x1101: 4, // MCTRL600/MCTRL610
  0x1103: 16, // MCTRL4K
  0x1107: 6, // MCTRL660 Pro
  0x6101: 4, // NovaPro HD
  0x6107: 4, // VX4S
  0x620c: 10, // VX1000
};
export const DEFAULT_SCAN_PORTS = 4;

export function portsToScan(modelId: number, configured: number | undefined): number {
  return configured ?? MODEL_PORTS[modelId] ?? DEFAULT_SCAN_PORTS;
}
