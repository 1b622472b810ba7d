import { novastar } from '@ledwatch/protocols';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { FakeTransport } from '../../transport/test-utils/fake-transport.js';
import { NovaStarClient } from './client.js';
import { simulatorLink } from './test-utils/harness.js';

const MODEL = { deviceType: 0, address: 0x00000002, length: 2 };
const signal = (): AbortSignal => AbortSignal.timeout(5000);

async function client(transport: FakeTransport, extra: { timeoutMs?: number; firstSerial?: number } = {}): Promise<NovaStarClient> {
  await transport.open();
  return new NovaStarClient({ transport, log: silentLogger(), ...extra });
}

describe('NovaStar client', () => {
  it('reads a register and resolves with the response frame', async () => {
    const c = await client(simulatorLink(new novastar.NovaStarSimulator()));
    const response = await c.read(MODEL, signal());
    expect(response).toMatchObject({ head: 'response', ack: 0, address: 0x00000002 });
    expect([...response.data]).toEqual([0x07, 0x11]); // 0x1107, MCTRL660 Pro
  });

  it('numbers requests mod 256', async () => {
    const link = simulatorLink(new novastar.NovaStarSimulator());
    const c = await client(link, { firstSerial: 255 });
    await c.read(MODEL, signal());
    await c.read(MODEL, signal());
    expect(link.written.map((bytes) => bytes[3])).toEqual([255, 0]);
  });

  it('keeps one request in flight and queues the rest', async () => {
    const sim = new novastar.NovaStarSimulator();
    const link = new FakeTransport(); // answers only when the test says so
    const c = await client(link);
    const tick = (): Promise<void> => new Promise((r) => setImmediate(r));
    const answers = Promise.all([c.read(MODEL, signal()), c.read(MODEL, signal()), c.read(MODEL, signal())]);
    for (let sent = 1; sent <= 3; sent++) {
      await tick();
      expect(link.written).toHaveLength(sent);
      link.push(sim.handleBytes(link.written[sent - 1] ?? new Uint8Array(0)));
    }
    expect((await answers).map((a) => a.serial)).toEqual([0, 1, 2]);
  });

  it('times out with novastar-timeout, drops the partial frame and serves the next request', async () => {
    const sim = new novastar.NovaStarSimulator();
    let first = true;
    const link = new FakeTransport({
      respond: (bytes) => {
        const answer = sim.handleBytes(bytes);
        if (!first) return answer;
        first = false;
        return answer.subarray(0, 7); // the controller stops mid-frame
      },
    });
    const c = await client(link, { timeoutMs: 50 });
    await expect(c.read(MODEL, signal())).rejects.toMatchObject({ code: 'novastar-timeout' });
    await expect(c.read(MODEL, signal())).resolves.toMatchObject({ ack: 0, serial: 1 });
  });

  it('drops a late answer to a request that timed out instead of taking it for the next', async () => {
    const sim = new novastar.NovaStarSimulator();
    const held: Uint8Array[] = [];
    const link = new FakeTransport({ respond: (bytes) => (held.push(sim.handleBytes(bytes)), undefined) });
    const c = await client(link, { timeoutMs: 30 });
    await expect(c.read(MODEL, signal())).rejects.toMatchObject({ code: 'novastar-timeout' });
    const second = c.read({ ...MODEL, address: 0x02000017, length: 1 }, signal());
    await new Promise((r) => setImmediate(r));
    for (const answer of held.splice(0)) link.push(answer); // the late answer to serial 0, then serial 1's
    expect(await second).toMatchObject({ serial: 1, address: 0x02000017 });
  });

  it('rejects the request in flight with novastar-reset when the controller resets the link', async () => {
    const link = new FakeTransport();
    const c = await client(link);
    const pending = c.read(MODEL, signal());
    link.peerClose();
    await expect(pending).rejects.toMatchObject({ code: 'novastar-reset' });
    await expect(c.read(MODEL, signal())).rejects.toMatchObject({ code: 'novastar-reset' });
  });

  it('rejects with novastar-nack when data is asked of a register the controller refuses', async () => {
    const c = await client(simulatorLink(new novastar.NovaStarSimulator()));
    await expect(c.readData({ deviceType: 1, address: 0x0a000000, length: 82, port: 0, board: 40 }, signal())).rejects.toMatchObject({ code: 'novastar-nack' });
  });

  it('stops waiting as soon as its signal aborts', async () => {
    const c = await client(new FakeTransport());
    const ctrl = new AbortController();
    const pending = c.read(MODEL, ctrl.signal);
    ctrl.abort(new Error('poll timed out'));
    await expect(pending).rejects.toThrow('poll timed out');
  });
});
