import { describe, expect, it } from 'vitest';
import {
  decodeControllerSerial,
  decodeFpgaVersion,
  decodeModelId,
  decodeReceivingCardIdentity,
  encodeControllerSerial,
  encodeFpgaVersion,
  encodeModelId,
  encodeReceivingCardIdentity,
} from './identification.js';
import { codeOf } from './test-utils/errors.js';

describe('identification registers', () => {
  it('name the sending-card model 0x1107 as MCTRL660 Pro', () => {
    expect(decodeModelId(Uint8Array.of(0x07, 0x11), 0)).toEqual({ id: 0x1107, name: 'MCTRL660 Pro' });
  });

  it('look model ids up per device type', () => {
    expect(decodeModelId(Uint8Array.of(0x01, 0x81), 2)).toEqual({ id: 0x8101, name: 'MFN300' });
    expect(decodeModelId(Uint8Array.of(0x01, 0x81), 0)).toEqual({ id: 0x8101, name: null });
  });

  it('read the FPGA version 04 03 00 00 as 4.3.0.0 and write it back', () => {
    expect(decodeFpgaVersion(Uint8Array.of(0x04, 0x03, 0x00, 0x00))).toBe('4.3.0.0');
    expect(encodeFpgaVersion('4.3.0.0')).toEqual(Uint8Array.of(4, 3, 0, 0));
  });

  it('read the receiving-card model id followed by its FPGA version (vendor capture 05 41 04 02 00 01)', () => {
    expect(decodeReceivingCardIdentity(Uint8Array.of(0x05, 0x41, 0x04, 0x02, 0x00, 0x01))).toEqual({
      model: { id: 0x4105, name: null },
      fpgaVersion: '4.2.0.1',
    });
    expect(decodeReceivingCardIdentity(Uint8Array.of(0x01, 0x41))).toEqual({ model: { id: 0x4101, name: null } });
    expect(encodeReceivingCardIdentity({ modelId: 0x4105, fpgaVersion: '4.2.0.1' })).toEqual(Uint8Array.of(0x05, 0x41, 4, 2, 0, 1));
  });

  it('give the controller serial as 16 hex digits in wire order', () => {
    const bytes = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0);
    expect(decodeControllerSerial(bytes)).toBe('123456789abcdef0');
    expect(encodeControllerSerial('123456789abcdef0')).toEqual(bytes);
  });

  it('encode a model id as u16 LE', () => {
    expect(encodeModelId(0x620c)).toEqual(Uint8Array.of(0x0c, 0x62));
  });

  it('refuse short data with short-data and malformed values with bad-field', () => {
    expect(codeOf(() => decodeModelId(Uint8Array.of(1), 0))).toBe('short-data');
    expect(codeOf(() => decodeFpgaVersion(Uint8Array.of(1, 2, 3)))).toBe('short-data');
    expect(codeOf(() => encodeFpgaVersion('4.3.0'))).toBe('bad-field');
    expect(codeOf(() => encodeFpgaVersion('4.3.0.256'))).toBe('bad-field');
    expect(codeOf(() => encodeControllerSerial('1234'))).toBe('bad-field');
  });
});
