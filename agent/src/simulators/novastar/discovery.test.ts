import { createSocket, type Socket } from 'node:dgram';
import { novastar } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { discoveryReply, startNovaStarDiscoveryResponder, type NovaStarDiscoveryResponder } from './discovery.js';

const open: { responder: NovaStarDiscoveryResponder; socket: Socket }[] = [];
afterEach(async () => {
  for (const { responder, socket } of open.splice(0)) {
    socket.close();
    await responder.close();
  }
});

async function rig(): Promise<{ responder: NovaStarDiscoveryResponder; socket: Socket; replies: string[] }> {
  const responder = await startNovaStarDiscoveryResponder({ sim: new novastar.NovaStarSimulator() });
  const socket = createSocket('udp4');
  const replies: string[] = [];
  socket.on('message', (m) => replies.push(m.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  open.push({ responder, socket });
  return { responder, socket, replies };
}

const send = (socket: Socket, text: string, port: number): Promise<void> =>
  new Promise((resolve, reject) => socket.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));

describe('NovaStar discovery responder', () => {
  it('answers rqProMI: with the model name and id', async () => {
    const { responder, socket, replies } = await rig();
    await send(socket, 'rqProMI:', responder.port);
    await expect.poll(() => replies).toEqual(['rpProMI:MCTRL660 Pro,1107']);
  });

  it('ignores any other datagram', async () => {
    const { responder, socket, replies } = await rig();
    await send(socket, 'hello', responder.port);
    await send(socket, 'rqProMI:', responder.port);
    await expect.poll(() => replies.length).toBe(1);
    expect(responder.answered).toBe(1);
  });

  it('names an unknown model id generically', () => {
    const sim = new novastar.NovaStarSimulator({ model: novastar.createControllerModel({ sendingCard: { modelId: 0x1234 } }) });
    expect(discoveryReply(sim)).toBe('rpProMI:NovaStar,1234');
  });
});
