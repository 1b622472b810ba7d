import { describe, expect, it } from 'vitest';
import { appendCrc, crc16, frameCrc, hasValidCrc } from './crc.js';

// Reference capture: read two input registers from an XY-MD02 sensor at address 1.
const SENSOR_REQUEST = Uint8Array.from([
  0x01, // unit id 1
  0x04, // function 04: read input registers
  0x00, 0x01, // first register 1 (u16 BE)
  0x00, 0x02, // quantity 2
  0x20, 0x0b, // CRC 0x0B20, low byte first
]);

const SENSOR_RESPONSE = Uint8Array.from([
  0x01, // unit id 1
  0x04, // function 04
  0x04, // byte count 4
  0x01, 0x31, // register 1 = 305 → 30.5 °C
  0x02, 0x22, // register 2 = 546 → 54.6 %
  0x2a, 0xce, // CRC 0xCE2A, low byte first
]);

describe('Modbus RTU CRC-16', () => {
  it('computes the CRC of the reference request as 0x0B20', () => {
    expect(crc16(SENSOR_REQUEST.subarray(0, 6))).toBe(0x0b20);
  });

  it('computes the CRC of the reference response as 0xCE2A', () => {
    expect(crc16(SENSOR_RESPONSE.subarray(0, 7))).toBe(0xce2a);
  });

  it('appends the CRC low byte first, reproducing both reference frames', () => {
    expect(appendCrc(SENSOR_REQUEST.subarray(0, 6))).toEqual(SENSOR_REQUEST);
    expect(appendCrc(SENSOR_RESPONSE.subarray(0, 7))).toEqual(SENSOR_RESPONSE);
  });

  it('reads the carried CRC as little-endian', () => {
    expect(frameCrc(SENSOR_REQUEST)).toBe(0x0b20);
  });

  it('accepts the reference frames and rejects one flipped bit', () => {
    expect(hasValidCrc(SENSOR_REQUEST)).toBe(true);
    expect(hasValidCrc(SENSOR_RESPONSE)).toBe(true);
    const damaged = SENSOR_RESPONSE.slice();
    damaged[4] = 0x30; // was 0x31
    expect(hasValidCrc(damaged)).toBe(false);
  });

  it('starts from 0xFFFF, so no bytes give 0xFFFF', () => {
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
  });

  it('does not call a frame too short to hold data and a CRC valid', () => {
    expect(hasValidCrc(Uint8Array.of(0xff, 0xff))).toBe(false);
  });

  it('matches the standard check value of CRC-16/MODBUS for "123456789"', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });
});
