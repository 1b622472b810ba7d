import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentError } from '../errors.js';
import { TcpTransport } from './tcp.js';
import type { CloseInfo } from './types.js';

const servers: Server[] = [];
const transports: TcpTransport[] = [];

afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A loopback server; `onSocket` decides what it does with each connection. */
async function server(onSocket: (socket: Socket) => void): Promise<number> {
  const s = createServer(onSocket);
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

function transport(port: number): TcpTransport {
  const t = new TcpTransport({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
  transports.push(t);
  return t;
}

const nextClose = (t: TcpTransport): Promise<CloseInfo> => new Promise((resolve) => t.onClose(resolve));

describe('TCP transport', () => {
  it('carries bytes both ways over loopback', async () => {
    const port = await server((socket) => socket.on('data', (d) => socket.write(Buffer.concat([Buffer.from([0xaa]), d]))));
    const t = transport(port);
    await t.open();
    const received = new Promise<number[]>((resolve) => t.onData((chunk) => resolve([...chunk])));
    await t.write(Uint8Array.of(0x55, 0x01));
    expect(await received).toEqual([0xaa, 0x55, 0x01]);
    expect(t.description).toBe(`tcp 127.0.0.1:${port}`);
  });

  it('reports a connection reset by the peer as closed by the peer', async () => {
    const port = await server((socket) => setTimeout(() => socket.resetAndDestroy(), 20));
    const t = transport(port);
    await t.open();
    const info = await nextClose(t);
    expect(info.byPeer).toBe(true);
    expect((info.error as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNRESET');
    expect(t.isOpen).toBe(false);
  });

  it('reports its own close as not closed by the peer', async () => {
    const port = await server(() => undefined);
    const t = transport(port);
    await t.open();
    const closed = nextClose(t);
    await t.close();
    expect(await closed).toEqual({ byPeer: false });
    await expect(t.close()).resolves.toBeUndefined();
  });

  it('rejects a write when it is not open', async () => {
    await expect(transport(1).write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'transport-closed' });
  });

  it('rejects open with transport-open when nothing listens', async () => {
    const port = await server(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve)); // the port is free again
    const err = (await transport(port).open().catch((e: unknown) => e)) as AgentError;
    expect(err.code).toBe('transport-open');
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('gives up opening when its signal aborts', async () => {
    const port = await server(() => undefined);
    await expect(transport(port).open(AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
  });
});
