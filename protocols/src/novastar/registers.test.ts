import { describe, expect, it } from 'vitest';
import { decodeFrame } from './frame.js';
import { REGISTERS, lookupRegister, requireRegister } from './registers.js';
import { codeOf } from './test-utils/errors.js';
import { loadGoldenFrames } from './test-utils/golden.js';
import { MONITORING_BLOCK, MONITORING_DECODED } from './test-utils/monitoring-block.js';

describe('register map', () => {
  it('keys registers by device type and address, so 0x02000001 is brightness only on a receiving card', () => {
    expect(lookupRegister(1, 0x02000001)?.name).toMatch(/^brightness/);
    expect(lookupRegister(0, 0x02000001)).toBeUndefined();
    expect(lookupRegister(0, 0x00000002)?.name).toBe('sending-card model id');
    expect(lookupRegister(2, 0x00000002)?.name).toBe('function-card model id');
  });

  it('throws unknown-register for an address it does not know', () => {
    expect(codeOf(() => requireRegister(0, 0x12345678))).toBe('unknown-register');
    expect(() => requireRegister(0, 0x12345678)).toThrow(/address 0x12345678/);
  });

  it('decodes every golden read response of a known register without error', () => {
    const answers = loadGoldenFrames().filter((g) => g.checksumOk && g.frame.head === 'response' && g.frame.direction === 'read');
    const decoded = answers.flatMap((g) => {
      const frame = decodeFrame(g.bytes);
      const register = lookupRegister(frame.deviceType, frame.address);
      return register === undefined ? [] : [[g.label, register.decode(frame.data)] as const];
    });
    expect(Object.fromEntries(decoded)).toEqual({
      'M3 3.1.1 ack temp 80 48': { temperatureC: 36 },
      'M3 3.1.1 ack volt A9': { voltageV: 4.1 },
      'M3 3.1.2 ack no DVI': { signal: false },
      'M3 3.1.2 ack DVI ok': { signal: true },
      'M3 3.3 ack bright FFx5': { global: 255, red: 255, green: 255, blue: 255, virtualRed: 255 },
      'M3 3.6 ack ver 4.3.0.0': '4.3.0.0',
      'M3 3.7.3 ack FC model 8101': { id: 0x8101, name: 'MFN300' },
      'M3 3.9 ack RC model+ver': { model: { id: 0x4105, name: null }, fpgaVersion: '4.2.0.1' },
      'M3 3.14 ack reconnect': { id: 0x0001, name: 'MCTRL300' },
      'M3 3.18 ack nothing': { present: [] },
      'M3 3.18 ack HDMI': { present: ['HDMI'] },
      'M3 3.18 ack DVI': { present: ['DVI1'] },
      'M3 3.19 ack cur input DVI 58': { code: 0x58, name: 'DVI' },
      '660Pro read ID ack 0x1107': { id: 0x1107, name: 'MCTRL660 Pro' },
    });
  });

  it('round-trips the typed registers a simulator answers with', () => {
    const monitoring = REGISTERS.receivingCardMonitoring;
    const card = MONITORING_DECODED.monitorCard;
    if (!card.present) throw new Error('fixture has a monitor card');
    const { ribbonErrors: _count, ...values } = card;
    expect(monitoring.encode({ ...MONITORING_DECODED, monitorCard: values })).toEqual(MONITORING_BLOCK);
    expect(monitoring.decode(MONITORING_BLOCK)).toEqual(MONITORING_DECODED);
    expect(REGISTERS.sendingCardModel.decode(REGISTERS.sendingCardModel.encode(0x6107))).toEqual({ id: 0x6107, name: 'VX4S' });
    expect(REGISTERS.redundancy.decode(REGISTERS.redundancy.encode([{ bits: 0b10 }]))[0]).toEqual({ port: 0, bits: 0b10, backup: true });
    expect(REGISTERS.cardVoltage.decode(REGISTERS.cardVoltage.encode({ voltageV: 4.1 }))).toEqual({ voltageV: 4.1 });
  });

  it('reads as many bytes as each register holds', () => {
    expect(REGISTERS.receivingCardMonitoring.length).toBe(82);
    expect(REGISTERS.brightness.length).toBe(5);
    expect(REGISTERS.ribbonStatus.address).toBe(0x0a000042);
  });
});
