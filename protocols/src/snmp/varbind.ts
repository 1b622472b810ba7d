/**
 * Varbinds as net-snmp returns them, `{ oid, type, value }`, and their values as numbers
 * and text. net-snmp gives Integer, Counter, Gauge and TimeTicks as numbers, OctetString
 * as a Buffer, and Counter64 as a Buffer of big-endian bytes; other clients give bigint.
 */

/** ASN.1 / SMI type tags, as net-snmp's `ObjectType`. */
export const OBJECT_TYPE = {
  Boolean: 1,
  Integer: 2,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter: 65,
  Gauge: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

export interface Varbind {
  readonly oid: string;
  readonly type?: number;
  readonly value: unknown;
}

/** Whether the varbind says "nothing here" (noSuchObject, noSuchInstance, endOfMibView) or carries no value. */
export function isAbsent(vb: Varbind): boolean {
  return (vb.type !== undefined && vb.type >= OBJECT_TYPE.NoSuchObject) || vb.value === null || vb.value === undefined;
}

/**
 * A number from a numeric varbind value: number, bigint, Buffer/Uint8Array of big-endian
 * unsigned bytes (Counter64, at most 8 significant bytes), or decimal text. Values past
 * 2^53 lose their last digits, which is harmless for rates (2^53 bytes is 83 days at 10 Gbit/s).
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) {
    const first = value.findIndex((b) => b !== 0);
    if (value.length === 0 || (first >= 0 && value.length - first > 8)) return undefined;
    let n = 0n;
    for (const b of value) n = (n << 8n) | BigInt(b);
    return Number(n);
  }
  if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text from an OctetString: UTF-8 without trailing NULs and surrounding space; bytes that
 * are not UTF-8 text (a MAC address, say) as `0x` and hex.
 */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.replace(/\0+$/, '').trim();
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (!(value instanceof Uint8Array)) return undefined;
  try {
    const text = utf8.decode(value).replace(/\0+$/, '');
    // eslint-disable-next-line no-control-regex
    if (!/[\x00-\x08\x0e-\x1f\x7f]/.test(text)) return text.trim();
  } catch {
    /* not UTF-8: fall through to hex */
  }
  return `0x${Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
