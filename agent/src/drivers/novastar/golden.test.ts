import { novastar } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { FakeTransport } from '../../transport/test-utils/fake-transport.js';
import type { Reading } from '../types.js';
import { byDevice, createNovaStarDriver } from './test-utils/harness.js';

/**
 * Requests from the vendor's protocol sheets (shared/reference/novastar-frames.json). The
 * driver numbers its requests itself, so each is compared with the serial set to the
 * vendor's; everything else must match byte for byte.
 */
const GOLDEN: readonly (readonly [label: string, hex: string])[] = [
  // 55 AA head · 00 ack · 00 serial · FE source · 00 dest · 00 sending card · 00 port · 0000 board · 00 read · 00 · 02000000 address · 0200 length · 5756 checksum
  ['660Pro read ID req', '55aa 00 00 fe 00 00 00 0000 00 00 02000000 0200 5756'],
  // serial 0x15 · sending card · address 0x04100004 · 4 bytes
  ['M3 3.6 req SC FPGA ver', '55aa 00 15 fe 00 00 00 0000 00 00 04001004 0400 8456'],
  // serial 0x16 · sending card · address 0x02000017 (DVI) · 1 byte
  ['M3 3.1.2 req DVI', '55aa 00 16 fe 00 00 00 0000 00 00 17000002 0100 8356'],
  // serial 0x32 · sending card · address 0x0200004D (input bitmap) · 1 byte
  ['M3 3.18 req input status', '55aa 00 32 fe 00 00 00 0000 00 00 4d000002 0100 d556'],
  // serial 0x32 · sending card · address 0x02000023 (selected input) · 1 byte
  ['M3 3.19 req cur input', '55aa 00 32 fe 00 00 00 0000 00 00 23000002 0100 ab56'],
  // serial 0x32 · receiving card · port 0 · board 0 · address 0 · 6 bytes (model id + FPGA version)
  ['M3 3.9 req RC model+ver', '55aa 00 32 fe 00 01 00 0000 00 00 00000000 0600 8c56'],
  // serial 0x32 · receiving card · port 0 · board 0 · address 0x0A000000 (monitoring block) · 256 bytes
  ['M3 2.1 req read RC 0x0A000000 len256', '55aa 00 32 fe 00 01 00 0000 00 00 0000000a 0001 9156'],
  // serial 0x14 · receiving card · port 0 · board 0 · address 0x02000001 (brightness) · 5 bytes
  ['M3 3.3 req read bright RC', '55aa 00 14 fe 00 01 00 0000 00 00 01000002 0500 7056'],
];

/** The driver's requests of one poll against the golden controller, decoded. */
async function requestsOfOnePoll(): Promise<{ raw: Uint8Array[]; frames: novastar.NovaStarFrame[]; readings: Reading[] }> {
  const sim = new novastar.NovaStarSimulator({ model: novastar.goldenModel() });
  const link = new FakeTransport({ respond: (bytes) => sim.handleBytes(bytes) });
  const driver = createNovaStarDriver({ transport: 'tcp', host: 'golden', monitoringLength: 256 }, () => link);
  try {
    const readings = await driver.poll(AbortSignal.timeout(5000));
    return { raw: link.written, frames: link.written.map((bytes) => novastar.decodeFrame(bytes)), readings };
  } finally {
    await driver.close();
  }
}

const sameRequest = (a: novastar.NovaStarFrame, b: novastar.NovaStarFrame): boolean =>
  a.deviceType === b.deviceType && a.port === b.port && a.board === b.board && a.direction === b.direction && a.address === b.address && a.length === b.length;

describe('novastar driver requests match the vendor golden frames', () => {
  it('opens with the model-id read exactly as the 660 Pro capture, serial 0 included', async () => {
    const { raw } = await requestsOfOnePoll();
    expect(novastar.toHex(raw[0] ?? new Uint8Array(0))).toBe(novastar.toHex(novastar.fromHex(GOLDEN[0]?.[1] ?? '')));
  });

  it.each(GOLDEN)('sends "%s" byte for byte', async (_label, hex) => {
    const golden = novastar.decodeFrame(novastar.fromHex(hex));
    const { frames } = await requestsOfOnePoll();
    const sent = frames.find((frame) => sameRequest(frame, golden));
    expect(sent).toBeDefined();
    const renumbered = novastar.encodeFrame({ ...(sent as novastar.NovaStarFrame), serial: golden.serial });
    expect(novastar.toHex(renumbered)).toBe(novastar.toHex(novastar.fromHex(hex)));
  });

  it('reads the golden answers as the vendor sheet decodes them: 36 °C and 4.1 V on card 0', async () => {
    const { readings } = await requestsOfOnePoll();
    expect(byDevice(readings, 'ctrl-1/p0/c0').metrics).toMatchObject({ temperatureC: 36, voltageV: 4.1, brightness: 255 });
    expect(byDevice(readings, 'ctrl-1').metrics).toMatchObject({ modelId: 0x1107, fpgaVersion: '4.3.0.0', inputBitmap: 0x04, selectedInput: 0x58 });
  });
});
