/**
 * A byte-addressed register space: modelled registers ("regions", derived from the model
 * with the codec's encoders) over a sparse memory of everything else. A read may start
 * anywhere and span regions and gaps (the vendor reads 2 bytes of the monitoring block, or
 * 1 byte at 0x0A000003); bytes no region covers come from memory, 0 where never written.
 * A write patches the regions it touches and hands each writable one its new bytes; bytes
 * outside every region go to memory, so they read back. Writes to read-only regions are
 * accepted and dropped, as a device ignores writes to a status register.
 */
export interface Region {
  readonly address: number;
  /** The register's current bytes; a write patches a copy of them. */
  readonly bytes: Uint8Array;
  /** Writable registers only: applies the register's bytes after a write. */
  readonly write?: (bytes: Uint8Array) => void;
}

export interface RegisterSpace {
  readonly regions: readonly Region[];
  /** address → byte, for addresses no region covers. */
  readonly memory: Map<number, number>;
}

export function readSpace(space: RegisterSpace, address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const at = (address + i) >>> 0;
    const hit = locate(space.regions, at);
    out[i] = hit === undefined ? (space.memory.get(at) ?? 0) : (hit.region.bytes[hit.offset] ?? 0);
  }
  return out;
}

export function writeSpace(space: RegisterSpace, address: number, data: Uint8Array): void {
  const patched = new Map<Region, Uint8Array>();
  data.forEach((byte, i) => {
    const at = (address + i) >>> 0;
    const hit = locate(space.regions, at);
    if (hit === undefined) {
      space.memory.set(at, byte);
      return;
    }
    const bytes = patched.get(hit.region) ?? hit.region.bytes.slice();
    bytes[hit.offset] = byte;
    patched.set(hit.region, bytes);
  });
  for (const [region, bytes] of patched) region.write?.(bytes);
}

function locate(regions: readonly Region[], at: number): { region: Region; offset: number } | undefined {
  for (const region of regions) {
    const offset = at - region.address;
    if (offset >= 0 && offset < region.bytes.length) return { region, offset };
  }
  return undefined;
}
