/**
 * Modbus RTU CRC-16: polynomial 0xA001 (0x8005 reflected), initial value 0xFFFF, no final
 * XOR. On the wire the CRC follows the frame low byte first.
 */

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16/MODBUS of `bytes`. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) crc = (crc >>> 8) ^ (TABLE[(crc ^ b) & 0xff] ?? 0);
  return crc;
}

/** `bytes` followed by their CRC, low byte first. */
export function appendCrc(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out.set(bytes, 0);
  const crc = crc16(bytes);
  out[bytes.length] = crc & 0xff;
  out[bytes.length + 1] = crc >>> 8;
  return out;
}

/** The CRC carried by the last two bytes of a frame (little-endian). */
export function frameCrc(frame: Uint8Array): number {
  return (frame[frame.length - 2] ?? 0) | ((frame[frame.length - 1] ?? 0) << 8);
}

/** Whether the frame's last two bytes are the CRC of the bytes before them. */
export function hasValidCrc(frame: Uint8Array): boolean {
  return frame.length >= 3 && crc16(frame.subarray(0, frame.length - 2)) === frameCrc(frame);
}
