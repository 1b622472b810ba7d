import { describe, expect, it } from 'vitest';
import {
  decodeAmbientLight,
  decodeBrightness,
  decodeDvi,
  decodeInputBitmap,
  decodeRedundancy,
  decodeSelectedInput,
  encodeAmbientLight,
  encodeBrightness,
  encodeDvi,
  encodeInputBitmap,
  encodeRedundancy,
  encodeSelectedInput,
} from './status.js';

describe('sending-card status registers', () => {
  it('read DVI 01 as a signal and 00 as none (vendor examples)', () => {
    expect(decodeDvi(0x01)).toEqual({ signal: true });
    expect(decodeDvi(0x00)).toEqual({ signal: false });
    expect(encodeDvi({ signal: true })).toBe(0x01);
  });

  it('name the inputs of the bitmap (vendor examples 00, 02 HDMI, 04 DVI1)', () => {
    expect(decodeInputBitmap(0x00)).toEqual({ present: [] });
    expect(decodeInputBitmap(0x02)).toEqual({ present: ['HDMI'] });
    expect(decodeInputBitmap(0x04)).toEqual({ present: ['DVI1'] });
    expect(decodeInputBitmap(0x7f)).toEqual({ present: ['3G-SDI', 'HDMI', 'DVI1', 'DVI2', 'DVI3', 'DVI4', 'DP'] });
    expect(encodeInputBitmap({ present: ['HDMI', 'DP'] })).toBe(0b0100_0010);
  });

  it('name the selected-input codes seen in vendor examples and leave others unnamed', () => {
    expect(decodeSelectedInput(0x58)).toEqual({ code: 0x58, name: 'DVI' });
    expect(decodeSelectedInput(0x05)).toEqual({ code: 0x05, name: 'HDMI' });
    expect(decodeSelectedInput(0x10)).toEqual({ code: 0x10, name: null });
    expect(encodeSelectedInput({ code: 0x58 })).toBe(0x58);
  });

  it('read two redundancy bits per port, 0b10 meaning the backup path', () => {
    expect(decodeRedundancy(0b10_00_10_00, 4)).toEqual([
      { port: 0, bits: 0b00, backup: false },
      { port: 1, bits: 0b10, backup: true },
      { port: 2, bits: 0b00, backup: false },
      { port: 3, bits: 0b10, backup: true },
    ]);
    expect(encodeRedundancy([{ bits: 0 }, { bits: 0b10 }])).toBe(0b10_00);
    expect(() => decodeRedundancy(0, 5)).toThrow(/ports/);
  });

  it('read ambient light as 2 lux steps when bit15 is set, null otherwise', () => {
    expect(decodeAmbientLight(Uint8Array.of(0x64, 0x80))).toEqual({ lux: 200 });
    expect(decodeAmbientLight(Uint8Array.of(0x64, 0x00))).toEqual({ lux: null });
    expect(encodeAmbientLight({ lux: 200 })).toEqual(Uint8Array.of(0x64, 0x80));
    expect(encodeAmbientLight({ lux: null })).toEqual(Uint8Array.of(0x00, 0x00));
  });
});

describe('receiving-card brightness', () => {
  it('reads global, R, G, B and virtual red (vendor example 80 00 80 80 80)', () => {
    const data = Uint8Array.of(0x80, 0x00, 0x80, 0x80, 0x80);
    expect(decodeBrightness(data)).toEqual({ global: 0x80, red: 0x00, green: 0x80, blue: 0x80, virtualRed: 0x80 });
    expect(encodeBrightness(decodeBrightness(data))).toEqual(data);
  });

  it('refuses fewer than 5 bytes and values over 255', () => {
    expect(() => decodeBrightness(Uint8Array.of(0x80))).toThrow(/brightness needs 5 data bytes/);
    expect(() => encodeBrightness({ global: 256, red: 0, green: 0, blue: 0, virtualRed: 0 })).toThrow(/global/);
  });
});
