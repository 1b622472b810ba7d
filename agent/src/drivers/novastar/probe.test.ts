import { afterEach, describe, expect, it } from 'vitest';
import { startNovaStarTcpSimulator, type NovaStarTcpSimulator } from '../../simulators/novastar/tcp.js';
import { AgentError } from '../../errors.js';
import { probeNovaStar } from './probe.js';

const servers: NovaStarTcpSimulator[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function server(): Promise<NovaStarTcpSimulator> {
  const s = await startNovaStarTcpSimulator();
  servers.push(s);
  return s;
}

describe('probeNovaStar, the field scan', () => {
  it('names the controller and counts its cards per port', async () => {
    const s = await server();
    s.sim.inject({ kind: 'card-missing', port: 1, card: 7 });
    expect(await probeNovaStar({ transport: 'tcp', host: s.host, port: s.port })).toEqual({
      found: true,
      link: `tcp 127.0.0.1:${s.port}`,
      modelId: 0x1107,
      model: 'MCTRL660 Pro',
      serial: '4e4f564153494d31',
      firmware: '4.3.0.0',
      ports: 2,
      cards: 15,
      cardsPerPort: [8, 7, 0, 0, 0, 0], // an MCTRL660 Pro has 6 ports
    });
  });

  it('reports found false with the reason when nothing listens', async () => {
    const s = await server();
    await s.close();
    const result = await probeNovaStar({ transport: 'tcp', host: s.host, port: s.port, connectTimeoutMs: 500 });
    expect(result.found).toBe(false);
    expect(result.error).toMatch(/ECONNREFUSED/);
  });

  it('reports found false when the controller never answers', async () => {
    const s = await server();
    s.muted = true;
    const result = await probeNovaStar({ transport: 'tcp', host: s.host, port: s.port, requestTimeoutMs: 100 });
    expect(result).toMatchObject({ found: false, link: `tcp 127.0.0.1:${s.port}` });
    expect(result.error).toMatch(/no answer/);
  });

  it('throws novastar-options naming the missing key', async () => {
    const err = await probeNovaStar({ transport: 'serial' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect(err).toMatchObject({ code: 'novastar-options', message: expect.stringMatching(/path is required when transport is serial/) as unknown });
  });

  it('throws novastar-options for values outside the schema', async () => {
    await expect(probeNovaStar({ transport: 'tcp', host: 'x', baudRate: 9600 })).rejects.toMatchObject({ code: 'novastar-options', message: expect.stringMatching(/baudRate/) as unknown });
  });
});
