import { describe, expect, it } from 'vitest';
import { OBJECT_TYPE, isAbsent, toNumber, toText } from './varbind.js';

describe('numbers from varbind values', () => {
  it('reads a Counter64 Buffer as big-endian unsigned bytes', () => {
    expect(toNumber(Buffer.from([0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]))).toBe(4294967296);
    expect(toNumber(Buffer.from([0x12, 0x34]))).toBe(0x1234);
    expect(toNumber(Buffer.from([0x00]))).toBe(0);
  });

  it('accepts a leading zero byte before eight value bytes, as BER encodes a high bit', () => {
    expect(toNumber(Buffer.from([0x00, 0x80, 0, 0, 0, 0, 0, 0, 0]))).toBe(2 ** 63);
  });

  it('refuses more than eight significant bytes and empty buffers', () => {
    expect(toNumber(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
    expect(toNumber(Buffer.alloc(0))).toBeUndefined();
  });

  it('reads bigint, numbers and decimal text', () => {
    expect(toNumber(12345678901234n)).toBe(12345678901234);
    expect(toNumber(42)).toBe(42);
    expect(toNumber(' 230 ')).toBe(230);
    expect(toNumber('n/a')).toBeUndefined();
    expect(toNumber(Number.NaN)).toBeUndefined();
  });
});

describe('text from varbind values', () => {
  it('decodes an OctetString Buffer as UTF-8 without trailing NULs or space', () => {
    expect(toText(Buffer.from('Smart-UPS 1500\0\0'))).toBe('Smart-UPS 1500');
    expect(toText(Buffer.from('  Gi1/0/1 '))).toBe('Gi1/0/1');
    expect(toText(Buffer.from('Schaltschrank Süd'))).toBe('Schaltschrank Süd');
  });

  it('shows binary octets such as a MAC address as hex', () => {
    expect(toText(Buffer.from([0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc]))).toBe('0x001b21aabbcc');
    expect(toText(Buffer.from([0xff, 0xfe]))).toBe('0xfffe');
  });
});

describe('absent varbinds', () => {
  it('recognises noSuchObject, noSuchInstance, endOfMibView and null values', () => {
    expect(isAbsent({ oid: '1.3', type: OBJECT_TYPE.NoSuchObject, value: null })).toBe(true);
    expect(isAbsent({ oid: '1.3', type: OBJECT_TYPE.NoSuchInstance, value: null })).toBe(true);
    expect(isAbsent({ oid: '1.3', type: OBJECT_TYPE.EndOfMibView, value: null })).toBe(true);
    expect(isAbsent({ oid: '1.3', value: undefined })).toBe(true);
    expect(isAbsent({ oid: '1.3', type: OBJECT_TYPE.Integer, value: 0 })).toBe(false);
  });
});
