import { describe, expect, it } from 'vitest';
import { compareOids, isOid, normalizeOid, oidSuffix, parseOid } from './oid.js';
import { codeOf } from './test-utils/errors.js';

describe('OIDs', () => {
  it('treats a leading dot as the same OID', () => {
    expect(normalizeOid('.1.3.6.1.2.1.1.3.0')).toBe('1.3.6.1.2.1.1.3.0');
    expect(normalizeOid('1.3.6.1.2.1.1.3.0')).toBe('1.3.6.1.2.1.1.3.0');
  });

  it('rejects names, empty arcs and leading zeros with code bad-oid', () => {
    for (const bad of ['sysUpTime.0', '1..3', '1.3.06', '', '1.3.']) {
      expect(isOid(bad)).toBe(false);
      expect(codeOf(() => parseOid(bad))).toBe('bad-oid');
    }
    expect(parseOid('.1.3.6.1')).toBe('1.3.6.1');
  });

  it('gives the index part of an OID under a column, and nothing for a sibling column', () => {
    expect(oidSuffix('1.3.6.1.2.1.2.2.1.8.12', '1.3.6.1.2.1.2.2.1.8')).toBe('12');
    expect(oidSuffix('1.3.6.1.2.1.2.2.1.80.12', '1.3.6.1.2.1.2.2.1.8')).toBeUndefined();
    expect(oidSuffix('1.3.6.1.2.1.2.2.1.8', '1.3.6.1.2.1.2.2.1.8')).toBeUndefined();
  });

  it('orders OIDs arc by arc, numerically, as a walk does', () => {
    expect(['1.3.10', '1.3.9', '1.3', '1.3.9.1'].sort(compareOids)).toEqual(['1.3', '1.3.9', '1.3.9.1', '1.3.10']);
  });
});
