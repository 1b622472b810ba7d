import { describe, expect, it } from 'vitest';
import { novastarOptionIssues } from './options.js';
import { resolveNovaStarOptions } from './probe.js';

describe('novastar driver options', () => {
  it('fills in the defaults of the reference: port 5200, baud auto, 1 s timeout, versions daily', () => {
    expect(resolveNovaStarOptions({ transport: 'tcp', host: '192.168.0.10' })).toMatchObject({
      port: 5200,
      baudRate: 'auto',
      destination: 0,
      maxCardsPerPort: 64,
      requestTimeoutMs: 1000,
      monitoringLength: 82,
      versionsEveryS: 86400,
      heldAfterResets: 3,
      heldWindowS: 120,
    });
  });

  it('names host as required for tcp and path for serial', () => {
    const { host: _host, ...noHost } = resolveNovaStarOptions({ transport: 'tcp', host: 'x' });
    expect(novastarOptionIssues(noHost).map((i) => i.key)).toEqual(['host']);
    expect(novastarOptionIssues({ ...noHost, transport: 'serial' })).toEqual([{ key: 'path', message: 'is required when transport is serial', fix: 'set path to the serial port, e.g. /dev/ttyUSB0' }]);
  });

  it('refuses a host on a serial link and a path on a TCP one', () => {
    const tcp = resolveNovaStarOptions({ transport: 'tcp', host: 'x' });
    expect(novastarOptionIssues({ ...tcp, path: '/dev/ttyUSB0' }).map((i) => i.key)).toEqual(['path']);
    expect(() => resolveNovaStarOptions({ transport: 'serial', path: '/dev/ttyUSB0', host: 'x' })).toThrow(/host is for transport tcp only/);
  });

  it('refuses a shortest reconnect wait above the longest', () => {
    expect(() => resolveNovaStarOptions({ transport: 'tcp', host: 'x', reconnectMinMs: 5000, reconnectMaxMs: 100 })).toThrow(/reconnectMinMs/);
  });
});
