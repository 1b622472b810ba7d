/**
 * The Modbus RTU vector of the site-protocols reference: an XY-MD02 class sensor at
 * address 1 asked for input registers 1 and 2 answers 30.5 °C and 54.6 %.
 */
export const REFERENCE_REQUEST = Uint8Array.from([
  0x01, //       unit id 1
  0x04, //       function 04: read input registers
  0x00, 0x01, // first register: input 1 (temperature)
  0x00, 0x02, // quantity: 2 registers
  0x20, 0x0b, // CRC-16, low byte first
]);

export const REFERENCE_RESPONSE = Uint8Array.from([
  0x01, //       unit id 1
  0x04, //       function 04
  0x04, //       byte count: 4
  0x01, 0x31, // input 1 = 305 → 30.5 °C (× 0.1, signed)
  0x02, 0x22, // input 2 = 546 → 54.6 % (× 0.1)
  0x2a, 0xce, // CRC-16, low byte first
]);

export const REFERENCE_READING = { temperatureC: 30.5, humidityPct: 54.6 } as const;

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
