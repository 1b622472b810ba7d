import { connect, type Socket } from 'node:net';
import { novastar } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeTransport } from '../../transport/test-utils/fake-transport.js';
import { HELD_MESSAGE } from './held.js';
import { createNovaStarDriver, tcpRig, type TcpRig } from './test-utils/harness.js';

/** Another client (NovaLCT, say) connects first and keeps the controller's one slot. */
async function holdController(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return socket;
}

async function release(socket: Socket): Promise<void> {
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.end();
  });
}

describe('novastar driver when another client holds the controller', () => {
  const open: { rig: TcpRig; holder: Socket }[] = [];
  afterEach(async () => {
    for (const { rig, holder } of open.splice(0)) {
      holder.destroy();
      await rig.close();
    }
  });
  const setup = async (): Promise<{ rig: TcpRig; holder: Socket }> => {
    const rig = await tcpRig();
    const holder = await holdController(rig.server.port);
    const pair = { rig, holder };
    open.push(pair);
    return pair;
  };

  it('fails the first polls, then reports the controller held after three connection resets', async () => {
    const { rig } = await setup();
    await expect(rig.poll()).rejects.toMatchObject({ code: 'novastar-reset' });
    await expect(rig.poll()).rejects.toMatchObject({ code: 'novastar-reset' });
    const readings = await rig.poll();
    expect(readings).toEqual([{ device: 'ctrl-1', at: expect.any(Number) as unknown, metrics: { held: true, message: HELD_MESSAGE, connectionResets: 3 }, state: 'held' }]);
    expect(rig.server.refused).toBe(3);
  });

  it('keeps reporting held, not errors, while the other client stays', async () => {
    const { rig } = await setup();
    for (let i = 0; i < 3; i++) await rig.poll().catch(() => undefined);
    await expect(rig.poll()).resolves.toMatchObject([{ state: 'held' }]);
    await expect(rig.poll()).resolves.toMatchObject([{ state: 'held' }]);
  });

  it('reads the controller again once the other client lets go', async () => {
    const { rig, holder } = await setup();
    for (let i = 0; i < 3; i++) await rig.poll().catch(() => undefined);
    await release(holder);
    const readings = await rig.poll();
    expect(readings[0]).toMatchObject({ device: 'ctrl-1', state: 'ok' });
    expect(readings).toHaveLength(17);
  });

  it('lets another client in between polls when releaseBetweenPolls is set', async () => {
    const rig = await tcpRig({ releaseBetweenPolls: true });
    try {
      await expect(rig.poll()).resolves.toHaveLength(17);
      await expect.poll(() => rig.server.clients).toBe(0); // the driver has let go
      const engineer = await holdController(rig.server.port); // NovaLCT, between two polls
      const answer = new Promise<Buffer>((resolve) => engineer.once('data', resolve));
      engineer.write(novastar.encodeFrame(novastar.readRequest({ serial: 7, destination: 0, deviceType: 0, port: 0, board: 0, address: 2, length: 2 })));
      expect(novastar.decodeFrame(new Uint8Array(await answer))).toMatchObject({ ack: 0, serial: 7 });
      engineer.destroy();
    } finally {
      await rig.close();
    }
  });
});

describe('novastar driver on a serial link that keeps closing', () => {
  it('reports a cable problem, never a held controller', async () => {
    const links: FakeTransport[] = [];
    const driver = createNovaStarDriver({ transport: 'serial', path: '/dev/ttyFAKE', baudRate: 115200, reconnectMinMs: 0, reconnectMaxMs: 0 }, () => {
      const link: FakeTransport = new FakeTransport({ respond: () => void setImmediate(() => link.peerClose(new Error('device disconnected'))) });
      links.push(link);
      return link;
    });
    try {
      for (let i = 0; i < 4; i++) await expect(driver.poll(AbortSignal.timeout(5000))).rejects.toMatchObject({ code: 'transport-closed' });
      expect(links).toHaveLength(4);
    } finally {
      await driver.close();
    }
  });
});
