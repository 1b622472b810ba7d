/**
 * The vendor-derived golden frames in /work/shared/reference/novastar-frames.json, mapped
 * to this codec's field names (serno → serial, rcvIndex → board, io → direction).
 */
import { readFileSync } from 'node:fs';
import { fromHex } from '../bytes.js';
import type { NovaStarFrame } from '../frame.js';

export const GOLDEN_PATH = new URL('../../../../../shared/reference/novastar-frames.json', import.meta.url);

interface GoldenRecord {
  label: string;
  hex: string;
  checksumOk: boolean;
  head: 'request' | 'response';
  ack: number;
  serno: number;
  source: number;
  destination: number;
  deviceType: number;
  port: number;
  rcvIndex: number;
  io: 0 | 1;
  address: string;
  length: number;
  data: string;
}

export interface GoldenFrame {
  readonly label: string;
  readonly hex: string;
  readonly bytes: Uint8Array;
  readonly checksumOk: boolean;
  readonly frame: NovaStarFrame;
}

export function loadGoldenFrames(): GoldenFrame[] {
  const records = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as GoldenRecord[];
  return records.map((r) => ({
    label: r.label,
    hex: r.hex,
    bytes: fromHex(r.hex),
    checksumOk: r.checksumOk,
    frame: {
      head: r.head,
      ack: r.ack,
      serial: r.serno,
      source: r.source,
      destination: r.destination,
      deviceType: r.deviceType,
      port: r.port,
      board: r.rcvIndex,
      direction: r.io === 1 ? 'write' : 'read',
      address: Number.parseInt(r.address, 16),
      length: r.length,
      data: fromHex(r.data),
    },
  }));
}
