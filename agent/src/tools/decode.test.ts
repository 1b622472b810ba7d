import { describe, expect, it } from 'vitest';
import { decodeCommand } from './decode.js';

describe('ledwatch-agent decode novastar', () => {
  it('prints the vendor worked temperature response with its decoded value', () => {
    const out = decodeCommand(['novastar', 'AA 55 00 32 00 FE 01 00 00 00 00 00 00 00 00 0A 02 00 80 48 5A 57']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout ?? '')).toMatchObject({
      head: 'response',
      ack: 0,
      serial: 0x32,
      source: 0x00,
      destination: 0xfe,
      deviceType: 1,
      port: 0,
      board: 0,
      direction: 'read',
      address: '0x0a000000',
      length: 2,
      data: '8048',
      decoded: { temperatureC: 36 },
    });
  });

  it('decodes a whole monitoring block with the monitor card', () => {
    // A response to a read of 0x0A000000, length 0x52 (82): card 36 °C, 4.1 V, monitor card present.
    const data = new Array<number>(82).fill(0);
    data[0x00] = 0x80; // temperature valid, positive
    data[0x01] = 0x48; // 36 °C
    data[0x03] = 0xa9; // 4.1 V valid
    data[0x20] = 0xff; // monitor card present
    data[0x29] = 0x80 | 55; // humidity 55 %
    data[0x2a] = 0x81; // smoke detected
    data[0x2b] = 0x80 | 60; // fan 0 at 3000 rpm
    data[0x41] = 0x01; // door 1 open
    data[0x42] = 0x05; // two ribbon error bits
    const head = [0xaa, 0x55, 0x00, 0x10, 0x00, 0xfe, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x52, 0x00];
    const body = [...head.slice(2), ...data];
    const sum = (0x5555 + body.reduce((a, b) => a + b, 0)) & 0xffff;
    const hex = Buffer.from([...head, ...data, sum & 0xff, sum >> 8]).toString('hex');
    const out = decodeCommand(['novastar', hex]);
    expect(out.code).toBe(0);
    const decoded = JSON.parse(out.stdout ?? '').decoded;
    expect(decoded).toMatchObject({ temperatureC: 36, voltageV: 4.1 });
    expect(decoded.monitorCard).toMatchObject({ present: true, humidity: 55, smoke: true, doorsOpen: [true, false], ribbonErrors: 2 });
    expect(decoded.monitorCard.fansRpm[0]).toBe(3000);
  });

  it('still decodes a response whose ack reports an error, and says what it means', () => {
    // Read response, ack 1 (device behind the sending card did not answer), no data.
    const body = [0x01, 0x33, 0x00, 0xfe, 0x01, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00];
    const sum = (0x5555 + body.reduce((a, b) => a + b, 0)) & 0xffff;
    const out = decodeCommand(['novastar', Buffer.from([0xaa, 0x55, ...body, sum & 0xff, sum >> 8]).toString('hex')]);
    expect(out.code).toBe(0);
    const d = JSON.parse(out.stdout ?? '');
    expect(d).toMatchObject({ head: 'response', ack: 1, board: 5 });
    expect(d.ackMeaning).toMatch(/timeout/i);
  });

  it('exits non-zero on a bad checksum, naming the expected and the actual checksum', () => {
    const out = decodeCommand(['novastar', 'aa55003200fe0100000000000000000a020080485a58']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/checksum/);
    expect(out.stderr).toMatch(/5a57|575a|0x575a/i);
    expect(out.stderr).toMatch(/5a58|585a|0x585a/i);
  });

  it('explains its usage when the protocol or the hex is missing', () => {
    expect(decodeCommand(['modbus', '01']).code).toBe(2);
    expect(decodeCommand(['novastar']).stderr).toMatch(/Usage: ledwatch-agent decode novastar <hex>/);
  });
});
