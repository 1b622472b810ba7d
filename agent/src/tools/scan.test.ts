import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModbusSimulator, type ModbusSimulator } from '../simulators/modbus/index.js';
import { startNovaStarSerialSimulator, startNovaStarTcpSimulator, type NovaStarSerialSimulator, type NovaStarTcpSimulator } from '../simulators/novastar/index.js';
import { startUpsSimulator, type UpsSimulator } from '../simulators/snmp/index.js';
import { openPtyPair, socatAvailable, type PtyPair } from '../test-utils/pty.js';
import { formatFindings, scan } from './scan.js';

describe('ledwatch-agent scan', () => {
  let novastar: NovaStarTcpSimulator;
  let psu: ModbusSimulator & { port: number };
  let ups: UpsSimulator;

  beforeAll(async () => {
    novastar = await startNovaStarTcpSimulator({ host: '127.0.0.1', port: 0 });
    psu = await startModbusSimulator({ transport: 'tcp', host: '127.0.0.1', port: 0 }, { profile: 'led-psu-generic' });
    ups = await startUpsSimulator({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await novastar.close();
    await psu.close();
    await ups.close();
  });

  it('finds the controller, the PSU and the UPS on the host it is given', async () => {
    const findings = await scan({
      serial: [],
      hosts: ['127.0.0.1'],
      timeoutMs: 1000,
      ports: { novastar: [novastar.port], modbus: psu.port, snmp: ups.port },
    });
    const found = findings.filter((f) => f.found).map((f) => f.protocol);
    expect(found).toEqual(['novastar', 'modbus', 'snmp']);
    expect(findings.find((f) => f.protocol === 'novastar')?.detail).toMatchObject({ model: 'MCTRL660 Pro' });
    expect(formatFindings(findings)).toMatch(/3 found, 0 probe\(s\) without an answer/);
  });

  it('reports nothing where nothing answers', async () => {
    await novastar.close();
    const findings = await scan({ serial: [], hosts: ['127.0.0.1'], timeoutMs: 300, ports: { novastar: [novastar.port], modbus: 1, snmp: 9 } });
    expect(findings.every((f) => !f.found)).toBe(true);
    expect(findings.every((f) => typeof f.detail.error === 'string')).toBe(true);
  });
});

describe.skipIf(!socatAvailable())('ledwatch-agent scan over a serial link', () => {
  let pty: PtyPair;
  let sim: NovaStarSerialSimulator;
  beforeAll(async () => {
    pty = await openPtyPair();
    sim = await startNovaStarSerialSimulator({ path: pty.b });
  });
  afterAll(async () => {
    await sim.close();
    await pty.close();
  });

  it('finds a NovaStar controller on the serial port it is given', async () => {
    const findings = await scan({ serial: [pty.a], hosts: [], timeoutMs: 1000 });
    const nova = findings.find((f) => f.protocol === 'novastar');
    expect(nova?.found).toBe(true);
    expect(nova?.where).toBe(pty.a);
  });
});
