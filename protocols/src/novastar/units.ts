/**
 * The two value encodings NovaStar health registers use:
 * - "valid7": bit7 = valid, bits6..0 = value in some unit (1 %RH, 0.1 V, 50 rpm);
 * - temperature: a valid/sign byte (bit7 valid, bit0 = negative) then 0.5 °C units.
 * A clear valid bit decodes to null; null encodes as 0 (valid bit clear).
 */
import { NovaStarError } from './errors.js';

/** Removes float noise from unit scaling: 41 × 0.1 → 4.1, not 4.1000000000000005. */
function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function decodeValid7(byte: number, scale: number): number | null {
  return byte & 0x80 ? tidy((byte & 0x7f) * scale) : null;
}

export function encodeValid7(value: number | null, scale: number, field: string): number {
  if (value === null) return 0;
  const units = Math.round(value / scale);
  if (!Number.isFinite(units) || units < 0 || units > 0x7f) {
    throw new NovaStarError('bad-field', `${field} ${value} does not fit 0..${tidy(0x7f * scale)}`, `${field} is 7 bits of ${scale}-unit steps`);
  }
  return 0x80 | units;
}

export function decodeTemperature(data: Uint8Array, offset: number): number | null {
  const flags = data[offset] ?? 0;
  if (!(flags & 0x80)) return null;
  const units = data[offset + 1] ?? 0;
  return flags & 0x01 && units !== 0 ? -units / 2 : units / 2;
}

export function encodeTemperature(out: Uint8Array, offset: number, celsius: number | null, field: string): void {
  if (celsius === null) {
    out[offset] = 0;
    out[offset + 1] = 0;
    return;
  }
  const units = Math.round(Math.abs(celsius) * 2);
  if (!Number.isFinite(units) || units > 0xff) {
    throw new NovaStarError('bad-field', `${field} ${celsius} °C does not fit ±127.5 °C`, `${field} is 0.5 °C steps from -127.5 to 127.5`);
  }
  out[offset] = 0x80 | (celsius < 0 && units !== 0 ? 0x01 : 0);
  out[offset + 1] = units;
}
