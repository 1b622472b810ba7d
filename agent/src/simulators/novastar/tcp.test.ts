import { connect, type Socket } from 'node:net';
import { novastar } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { startNovaStarTcpSimulator, type NovaStarTcpSimulator } from './tcp.js';

// Vendor golden pair "660Pro read ID": model id request, serial 0, and its answer 0x1107.
const READ_MODEL = novastar.fromHex('55aa 00 00 fe 00 00 00 0000 00 00 02000000 0200 5756');
const MODEL_1107 = novastar.fromHex('aa55 00 00 00 fe 00 00 0000 00 00 02000000 0200 0711 6f56');

const servers: NovaStarTcpSimulator[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function server(options: { idleReleaseMs?: number } = {}): Promise<NovaStarTcpSimulator> {
  const s = await startNovaStarTcpSimulator({ sim: new novastar.NovaStarSimulator({ model: novastar.goldenModel() }), ...options });
  servers.push(s);
  return s;
}

async function client(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return socket;
}

const nextData = (socket: Socket): Promise<Uint8Array> => new Promise((resolve) => socket.once('data', (d: Buffer) => resolve(new Uint8Array(d))));
const closed = (socket: Socket): Promise<boolean> => new Promise((resolve) => socket.once('close', (hadError) => resolve(hadError)));

describe('NovaStar TCP simulator', () => {
  it('answers a golden request with the golden response byte for byte', async () => {
    const s = await server();
    const socket = await client(s.port);
    socket.write(READ_MODEL.subarray(0, 5)); // split across two segments
    setTimeout(() => socket.write(READ_MODEL.subarray(5)), 10);
    expect(novastar.toHex(await nextData(socket))).toBe(novastar.toHex(MODEL_1107));
  });

  it('resets a second client while the first holds the controller', async () => {
    const s = await server();
    await client(s.port);
    const second = connect({ host: '127.0.0.1', port: s.port });
    sockets.push(second);
    const error = new Promise<NodeJS.ErrnoException>((resolve) => second.once('error', resolve));
    expect((await error).code).toBe('ECONNRESET'); // during or right after the connect
    expect(s.refused).toBe(1);
  });

  it('serves the next client once the holder disconnects', async () => {
    const s = await server();
    const first = await client(s.port);
    const gone = closed(first);
    first.end();
    await gone;
    const second = await client(s.port);
    second.write(READ_MODEL);
    expect(novastar.toHex(await nextData(second))).toBe(novastar.toHex(MODEL_1107));
  });

  it('frees the slot of a holder that stays silent past the idle release', async () => {
    const s = await server({ idleReleaseMs: 50 });
    await client(s.port);
    await new Promise((r) => setTimeout(r, 80));
    const second = await client(s.port);
    second.write(READ_MODEL);
    expect(novastar.toHex(await nextData(second))).toBe(novastar.toHex(MODEL_1107));
  });

  it('reads and drops requests while muted', async () => {
    const s = await server();
    s.muted = true;
    const socket = await client(s.port);
    let got = 0;
    socket.on('data', () => got++);
    socket.write(READ_MODEL);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toBe(0);
  });

  it('closes idempotently, resetting its clients', async () => {
    const s = await server();
    const socket = await client(s.port);
    const gone = closed(socket);
    await s.close();
    await expect(s.close()).resolves.toBeUndefined();
    expect(await gone).toBe(true);
  });

  it('lets temperatures drift with the clock it is given', async () => {
    const at = Array.from({ length: 600 }, (_, i) => i * 1000).find((t) => novastar.driftOffsetC(novastar.DEFAULT_DRIFT, t, 0, 0) !== 0) ?? 0;
    const s = await startNovaStarTcpSimulator({ sim: new novastar.NovaStarSimulator({ model: novastar.goldenModel() }), clock: () => at });
    servers.push(s);
    const socket = await client(s.port);
    socket.write(novastar.fromHex('55aa 00 32 fe 00 01 00 0000 00 00 0000000a 0200 9256')); // card 0 temperature
    const frame = novastar.decodeFrame(await nextData(socket));
    expect(frame.data[1]).toBe(72 + novastar.driftOffsetC(novastar.DEFAULT_DRIFT, at, 0, 0) * 2); // 36 °C plus drift, in 0.5 °C units
  });
});
