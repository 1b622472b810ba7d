import { novastar } from '@ledwatch/protocols';
import { afterEach, describe, expect, it } from 'vitest';
import { startNovaStarDiscoveryResponder, type NovaStarDiscoveryResponder } from '../../simulators/novastar/discovery.js';
import { discoverNovaStar, parseDiscoveryReply } from './discovery.js';

const responders: NovaStarDiscoveryResponder[] = [];
afterEach(async () => {
  for (const r of responders.splice(0)) await r.close();
});

async function responder(modelId?: number): Promise<NovaStarDiscoveryResponder> {
  const sim = new novastar.NovaStarSimulator(modelId === undefined ? {} : { model: novastar.createControllerModel({ sendingCard: { modelId } }) });
  const r = await startNovaStarDiscoveryResponder({ sim, host: '127.0.0.1', port: 0 });
  responders.push(r);
  return r;
}

describe('NovaStar UDP discovery on loopback', () => {
  it('collects the reply of each controller it asks', async () => {
    const a = await responder();
    const b = await responder(0x6107);
    const found = await discoverNovaStar({ targets: [{ host: '127.0.0.1', port: a.port }, { host: '127.0.0.1', port: b.port }], timeoutMs: 200 });
    const byPort = new Map(found.map((f) => [f.port, f]));
    expect(byPort.get(a.port)).toEqual({ address: '127.0.0.1', port: a.port, text: 'MCTRL660 Pro,1107', fields: ['MCTRL660 Pro', '1107'], name: 'MCTRL660 Pro' });
    expect(byPort.get(b.port)?.name).toBe('VX4S');
    expect(a.answered).toBe(1);
  });

  it('finds nothing where nothing answers', async () => {
    const quiet = await responder();
    await quiet.close();
    await expect(discoverNovaStar({ targets: [{ host: '127.0.0.1', port: quiet.port }], timeoutMs: 100 })).resolves.toEqual([]);
  });

  it('stops collecting when its signal aborts', async () => {
    const r = await responder();
    const signal = AbortSignal.abort(new Error('scan cancelled'));
    await expect(discoverNovaStar({ targets: [{ host: '127.0.0.1', port: r.port }], timeoutMs: 5000, signal })).rejects.toThrow('scan cancelled');
  });
});

describe('discovery reply parsing', () => {
  it('splits the fields after rpProMI: and drops trailing NULs', () => {
    expect(parseDiscoveryReply(Buffer.from('rpProMI:App,0161\0\0', 'latin1'))).toEqual({ text: 'App,0161', fields: ['App', '0161'], name: 'App' });
  });

  it('ignores datagrams that are not replies, such as another agent request', () => {
    expect(parseDiscoveryReply(Buffer.from('rqProMI:', 'latin1'))).toBeUndefined();
  });

  it('accepts a reply with nothing after the prefix', () => {
    expect(parseDiscoveryReply(Buffer.from('rpProMI:', 'latin1'))).toEqual({ text: '', fields: [] });
  });
});
