import { modbus } from '@ledwatch/protocols';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, socatAvailable } from '../../test-utils/pty.js';
import { startModbusBusSimulator, startModbusSimulator } from './simulator.js';
import { REFERENCE_REQUEST, REFERENCE_RESPONSE, hex } from './test-utils/reference.js';

/** A bare serial client: sends bytes, collects what comes back within `waitMs`. */
async function rawClient(path: string): Promise<{ ask(bytes: Uint8Array, waitMs?: number): Promise<Uint8Array>; close(): Promise<void> }> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  let received: number[] = [];
  port.on('data', (chunk: Buffer) => received.push(...chunk));
  return {
    async ask(bytes, waitMs = 150) {
      received = [];
      port.write(Buffer.from(bytes));
      await new Promise((r) => setTimeout(r, waitMs));
      return Uint8Array.from(received);
    },
    close: () => new Promise<void>((resolve) => port.close(() => resolve())),
  };
}

describe.skipIf(!socatAvailable())('the Modbus RTU simulator on a pty', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function rig(start: (path: string) => Promise<{ close(): Promise<void> }>) {
    const pty = await openPtyPair();
    cleanups.push(() => pty.close());
    cleanups.push((await start(pty.b)).close);
    const client = await rawClient(pty.a);
    cleanups.push(() => client.close());
    return client;
  }

  it('answers the reference request with the reference response, byte for byte', async () => {
    const client = await rig((path) => startModbusSimulator({ transport: 'rtu', path }, { profile: 'xy-md02' }));
    expect(hex(await client.ask(REFERENCE_REQUEST))).toBe(hex(REFERENCE_RESPONSE));
  });

  it('answers a read of an unmapped register with exception 2', async () => {
    const client = await rig((path) => startModbusSimulator({ transport: 'rtu', path }, { profile: 'xy-md02' }));
    const answer = await client.ask(modbus.encodeRequest(1, { fc: 4, address: 0, quantity: 2 }));
    expect(hex(answer)).toBe(hex(modbus.encodeResponse(1, { fc: 4, exception: 2 })));
  });

  it('answers a request with quantity 0 with exception 3, as devices do', async () => {
    const client = await rig((path) => startModbusSimulator({ transport: 'rtu', path }, { profile: 'xy-md02' }));
    const zero = modbus.appendCrc(Uint8Array.from([0x01, 0x04, 0x00, 0x01, 0x00, 0x00]));
    expect(hex(await client.ask(zero))).toBe(hex(modbus.encodeResponse(1, { fc: 4, exception: 3 })));
  });

  it('stays quiet for other unit ids, for corrupt frames and while silent', async () => {
    let sim: Awaited<ReturnType<typeof startModbusSimulator>> | undefined;
    const client = await rig(async (path) => (sim = await startModbusSimulator({ transport: 'rtu', path }, { profile: 'xy-md02' })));
    expect(await client.ask(modbus.encodeRequest(2, { fc: 4, address: 1, quantity: 2 }))).toHaveLength(0);
    const corrupt = REFERENCE_REQUEST.slice();
    corrupt[7] = 0x0b ^ 0xff; // CRC high byte flipped
    expect(await client.ask(corrupt)).toHaveLength(0);
    sim?.inject({ kind: 'silent' });
    expect(await client.ask(REFERENCE_REQUEST)).toHaveLength(0);
    sim?.clear('silent');
    expect(hex(await client.ask(REFERENCE_REQUEST))).toBe(hex(REFERENCE_RESPONSE));
  });

  it('serves several unit ids on one port, like devices on one bus', async () => {
    const client = await rig((path) =>
      startModbusBusSimulator({ transport: 'rtu', path }, [
        { profile: 'xy-md02', unitId: 1 },
        { profile: 'xy-md02', unitId: 2, values: { temperatureC: -4.5 } },
      ]),
    );
    const answer = modbus.decodeResponse(await client.ask(modbus.encodeRequest(2, { fc: 4, address: 1, quantity: 1 })));
    expect(answer).toEqual({ unitId: 2, response: { fc: 4, registers: [0xffd3] } });
  });
});
