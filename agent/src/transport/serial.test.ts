import { afterEach, describe, expect, it } from 'vitest';
import type { AgentError } from '../errors.js';
import { openPtyPair, socatAvailable, type PtyPair } from '../test-utils/pty.js';
import { SerialTransport } from './serial.js';
import type { CloseInfo } from './types.js';

const open: SerialTransport[] = [];
const pairs: PtyPair[] = [];

afterEach(async () => {
  for (const t of open.splice(0)) await t.close();
  for (const p of pairs.splice(0)) await p.close();
});

async function link(): Promise<{ driverSide: SerialTransport; deviceSide: SerialTransport }> {
  const pair = await openPtyPair();
  pairs.push(pair);
  const driverSide = new SerialTransport({ path: pair.a, baudRate: 1_048_576 });
  const deviceSide = new SerialTransport({ path: pair.b, baudRate: 115_200 }); // a pty carries no baud rate
  open.push(driverSide, deviceSide);
  await driverSide.open();
  await deviceSide.open();
  return { driverSide, deviceSide };
}

describe.skipIf(!socatAvailable())('serial transport over a pty pair', () => {
  it('carries bytes both ways', async () => {
    const { driverSide, deviceSide } = await link();
    deviceSide.onData((chunk) => void deviceSide.write(Uint8Array.from(chunk, (b) => b ^ 0xff)));
    const received = new Promise<number[]>((resolve) => driverSide.onData((chunk) => resolve([...chunk])));
    await driverSide.write(Uint8Array.of(0x55, 0xaa));
    expect(await received).toEqual([0xaa, 0x55]);
    expect(driverSide.description).toMatch(/^serial \/dev\/pts\/\d+ @ 1048576$/);
  });

  it('reports its own close as not closed by the peer and refuses writes after it', async () => {
    const { driverSide } = await link();
    const closed = new Promise<CloseInfo>((resolve) => driverSide.onClose(resolve));
    await driverSide.close();
    expect((await closed).byPeer).toBe(false);
    expect(driverSide.isOpen).toBe(false);
    await expect(driverSide.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'transport-closed' });
  });
});

describe('serial transport without a port', () => {
  it('rejects open with transport-open naming the path', async () => {
    const t = new SerialTransport({ path: '/dev/ledwatch-no-such-port', baudRate: 115_200 });
    const err = (await t.open().catch((e: unknown) => e)) as AgentError;
    expect(err.code).toBe('transport-open');
    expect(err.message).toMatch(/\/dev\/ledwatch-no-such-port/);
  });
});
