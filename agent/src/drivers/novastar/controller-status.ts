/** The sending-card registers read every poll: DVI, input bitmap, selected input, redundancy, ambient light. */
import { novastar } from '@ledwatch/protocols';
import type { NovaStarClient } from './client.js';
import { readOptional, readRegister } from './identify.js';

export interface ControllerStatus {
  readonly dvi: novastar.DviStatus;
  /** The raw input bitmap byte, and what it decodes to. */
  readonly inputBitmap: number;
  readonly inputs: novastar.InputBitmap;
  readonly selectedInput: novastar.SelectedInput;
  /** Ports 0..3 (what the register holds). */
  readonly redundancy: readonly novastar.PortRedundancy[];
  /** undefined when the controller has no such register; lux null when no sensor is fitted. */
  readonly ambient?: novastar.AmbientLight;
}

export async function readControllerStatus(client: NovaStarClient, signal: AbortSignal): Promise<ControllerStatus> {
  const r = novastar.REGISTERS;
  const dvi = await readRegister(client, r.dviSignal, signal);
  const bitmap = await client.readData({ deviceType: r.inputBitmap.deviceType, address: r.inputBitmap.address, length: 1 }, signal);
  const selectedInput = await readRegister(client, r.selectedInput, signal);
  const redundancy = await readRegister(client, r.redundancy, signal);
  const ambient = await readOptional(client, r.ambientLight, signal);
  const inputBitmap = bitmap[0] ?? 0;
  const status = { dvi, inputBitmap, inputs: r.inputBitmap.decode(bitmap), selectedInput, redundancy };
  return ambient === undefined ? status : { ...status, ambient };
}
