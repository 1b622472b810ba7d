import { novastar } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, socatAvailable, type PtyPair } from '../../test-utils/pty.js';
import { SerialTransport } from '../../transport/serial.js';
import { startNovaStarSerialSimulator, type NovaStarSerialSimulator } from './serial.js';

// Vendor golden pair "M3 3.1.1 temp": read 2 bytes at 0x0A000000 of card 0 on port 0; 80 48 = valid, 36 °C.
const READ_TEMPERATURE = novastar.fromHex('55aa 00 32 fe 00 01 00 0000 00 00 0000000a 0200 9256');
const TEMPERATURE_36 = novastar.fromHex('aa55 00 32 00 fe 01 00 0000 00 00 0000000a 0200 8048 5a57');

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function rig(): Promise<{ pair: PtyPair; simulator: NovaStarSerialSimulator; link: SerialTransport }> {
  const pair = await openPtyPair();
  cleanup.push(() => pair.close());
  const simulator = await startNovaStarSerialSimulator({ path: pair.b, sim: new novastar.NovaStarSimulator({ model: novastar.goldenModel() }) });
  cleanup.push(() => simulator.close());
  const link = new SerialTransport({ path: pair.a, baudRate: 1_048_576 });
  await link.open();
  cleanup.push(() => link.close());
  return { pair, simulator, link };
}

/** Collects bytes until `length` have arrived. */
function receive(link: SerialTransport, length: number): Promise<Uint8Array> {
  const chunks: number[] = [];
  return new Promise((resolve) => {
    const off = link.onData((chunk) => {
      chunks.push(...chunk);
      if (chunks.length >= length) {
        off();
        resolve(Uint8Array.from(chunks));
      }
    });
  });
}

describe.skipIf(!socatAvailable())('NovaStar serial simulator on a pty', () => {
  it('answers a golden request with the golden response byte for byte', async () => {
    const { link } = await rig();
    const answer = receive(link, TEMPERATURE_36.length);
    await link.write(READ_TEMPERATURE);
    expect(novastar.toHex(await answer)).toBe(novastar.toHex(TEMPERATURE_36));
  });

  it('shows a fault injected at run time in its next answer', async () => {
    const { link, simulator } = await rig();
    simulator.sim.inject({ kind: 'card-over-temperature', port: 0, card: 0, temperatureC: 90 });
    const answer = receive(link, TEMPERATURE_36.length);
    await link.write(READ_TEMPERATURE);
    const frame = novastar.decodeFrame(await answer);
    expect([...frame.data]).toEqual([0x80, 180]); // valid, 180 × 0.5 °C
  });
});
