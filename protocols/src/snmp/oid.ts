/** Numeric OIDs as dotted text, the way net-snmp gives and takes them. */
import { SnmpError } from './errors.js';

const OID = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/** `.1.3.6.1` and `1.3.6.1` are the same OID; returns the form without the leading dot. */
export function normalizeOid(oid: string): string {
  return oid.startsWith('.') ? oid.slice(1) : oid;
}

export function isOid(text: string): boolean {
  return OID.test(normalizeOid(text));
}

/** Throws `bad-oid` unless `text` is a numeric OID; returns it normalized. */
export function parseOid(text: string): string {
  const oid = normalizeOid(text);
  if (!OID.test(oid)) {
    throw new SnmpError('bad-oid', `not a numeric OID: ${JSON.stringify(text)}`, 'write OIDs as dotted numbers, e.g. 1.3.6.1.2.1.1.3.0');
  }
  return oid;
}

/** The part of `oid` after `base` (`1.3.6.1.2.1.2.2.1.8.12` under `…2.2.1.8` → `12`); undefined when not under it. */
export function oidSuffix(oid: string, base: string): string | undefined {
  const o = normalizeOid(oid);
  const b = normalizeOid(base);
  return o.startsWith(`${b}.`) ? o.slice(b.length + 1) : undefined;
}

/** Orders OIDs as an SNMP walk does: arc by arc, numerically. */
export function compareOids(a: string, b: string): number {
  const x = normalizeOid(a).split('.').map(Number);
  const y = normalizeOid(b).split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
