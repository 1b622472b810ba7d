import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { REFERENCE_READING, REFERENCE_REQUEST, REFERENCE_RESPONSE, hex } from '../../simulators/modbus/test-utils/reference.js';
import { openPtyPair, socatAvailable, type PtyPair } from '../../test-utils/pty.js';
import type { Driver } from '../types.js';
import { modbusDevice, modbusDriver, pollOnce } from './test-utils/setup.js';

/** A bare serial peer: records what arrives and answers each request with `reply`. */
async function rawPeer(path: string, reply: Uint8Array): Promise<{ received: number[]; close(): Promise<void> }> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const received: number[] = [];
  port.on('data', (chunk: Buffer) => {
    received.push(...chunk);
    if (received.length % REFERENCE_REQUEST.length === 0) port.write(Buffer.from(reply));
  });
  return { received, close: () => new Promise<void>((resolve) => port.close(() => resolve())) };
}

describe.skipIf(!socatAvailable())('the reference Modbus RTU vector on a pty', () => {
  let pty: PtyPair | undefined;
  let peer: { close(): Promise<void> } | undefined;
  let driver: Driver | undefined;
  afterEach(async () => {
    await driver?.close();
    await peer?.close();
    await pty?.close();
    [driver, peer, pty] = [undefined, undefined, undefined];
  });

  it('sends exactly 01 04 00 01 00 02 20 0B and reads 30.5 °C and 54.6 % from the reference answer', async () => {
    pty = await openPtyPair();
    const device = await rawPeer(pty.b, REFERENCE_RESPONSE);
    peer = device;
    driver = modbusDriver(modbusDevice('sensor-1', { transport: 'rtu', path: pty.a, profile: 'xy-md02' }));
    const reading = await pollOnce(driver);
    expect(hex(Uint8Array.from(device.received))).toBe(hex(REFERENCE_REQUEST));
    expect(reading.metrics).toEqual(REFERENCE_READING);
    expect(reading.state).toBe('ok');
  });

  it('reports a garbled answer as a frame error that names the likely cause', async () => {
    pty = await openPtyPair();
    const garbled = REFERENCE_RESPONSE.slice();
    garbled[4] = 0x32; // one flipped bit in the temperature: the CRC no longer matches
    peer = await rawPeer(pty.b, garbled);
    driver = modbusDriver(modbusDevice('sensor-1', { transport: 'rtu', path: pty.a, profile: 'xy-md02' }));
    const err = await pollOnce(driver).then(
      () => undefined,
      (e: unknown) => e as { code?: string; hint?: string },
    );
    expect(err?.code).toBe('modbus-frame');
    expect(err?.hint).toMatch(/baud rate or parity/);
  });
});
