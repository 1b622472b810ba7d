import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Reading } from '@ledwatch/protocols';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeHostProbe } from '../test-utils/fake-host-probe.js';
import { collectFacts, type InspectSources } from './collect.js';
import { nodeInspectEnv, type InspectEnv } from './env.js';
import { parseProcNetTcp } from './security.js';
import { startSntpResponder, type SntpResponder } from './test-utils.js';

describe('inspection collectors', () => {
  let root: string;
  let env: InspectEnv;
  let host: FakeHostProbe;
  let sntp: SntpResponder;
  let server: Server;
  let extraPort: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'inspect-'));
    mkdirSync(join(root, 'etc/ssh'), { recursive: true });
    writeFileSync(join(root, 'etc/ssh/sshd_config'), '# planted\nPermitRootLogin yes\nPasswordAuthentication yes\nMatch User x\n  PasswordAuthentication no\n');
    mkdirSync(join(root, 'bin'));
    // A fake apt-get: two upgrades pending, one of them from the security suite.
    writeFileSync(
      join(root, 'bin/apt-get'),
      '#!/bin/sh\necho "Inst openssl [3.0.1] (3.0.2 Debian-Security:12/stable-security [amd64])"\necho "Inst tzdata [2024a] (2024b Debian:12/stable [all])"\n',
    );
    chmodSync(join(root, 'bin/apt-get'), 0o755);
    mkdirSync(join(root, 'logs'));
    writeFileSync(join(root, 'logs/agent.log'), Buffer.alloc(50_000));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data/outbox.db'), Buffer.alloc(4096));
    host = new FakeHostProbe();
    host.mountList = [
      { device: '/dev/sda1', mountPoint: '/', fsType: 'ext4' },
      { device: 'tmpfs', mountPoint: '/run/full', fsType: 'tmpfs' },
      { device: 'proc', mountPoint: '/proc', fsType: 'proc' },
    ];
    host.usage.set('/run/full', { totalBytes: 1000, freeBytes: 50, availableBytes: 50, totalInodes: 100, freeInodes: 90 });
    sntp = await startSntpResponder({ skewMs: 120_000 });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    extraPort = (server.address() as AddressInfo).port;
    const base = nodeInspectEnv({ paths: { sshdConfig: join(root, 'etc/ssh/sshd_config'), aptGet: join(root, 'bin/apt-get'), dnf: join(root, 'bin/dnf'), ufw: join(root, 'none'), nft: join(root, 'none'), iptables: join(root, 'none') } });
    env = { ...base, host, uid: () => 0 };
  });

  afterAll(async () => {
    await sntp.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  const readings = new Map<string, Reading>([
    ['ctrl-1', { device: 'ctrl-1', at: 1_764_000_000_000, state: 'ok', metrics: { model: 'MCTRL660 Pro', fpgaVersion: '4.3.0.0', inputDvi1: true, inputHdmi: false, selectedInputName: 'DVI', port0Backup: false, port1Backup: true } }],
    ['ctrl-1/p0/c0', { device: 'ctrl-1/p0/c0', at: 1_764_000_000_000, state: 'ok', metrics: { brightness: 200 } }],
    ['ctrl-1/p0/c1', { device: 'ctrl-1/p0/c1', at: 1_764_000_000_000, state: 'ok', metrics: { brightness: 200 } }],
    ['ctrl-1/p1/c0', { device: 'ctrl-1/p1/c0', at: 1_764_000_000_000, state: 'missing', metrics: {} }],
  ]);
  const sources = (): InspectSources => ({
    devices: [
      { id: 'ctrl-1', kind: 'novastar', pollIntervalS: 10, options: { transport: 'tcp', host: '192.168.10.20', port: 5200 } },
    ] as InspectSources['devices'],
    configVersion: 3,
    inventory: [{ id: 'ctrl-1', kind: 'novastar', model: 'MCTRL660 Pro', firmware: '4.3.0.0', capabilities: [] }],
    readings,
    agentVersion: '0.1.0',
    dataDir: join(root, 'data'),
    hubUrl: `mqtt://127.0.0.1:${extraPort}`,
  });

  it('collects every area into facts that pass the contract', async () => {
    const facts = await collectFacts({ logDirs: [join(root, 'logs')], largestFiles: 3, network: { ntp: [{ host: '127.0.0.1', port: sntp.port }] } }, sources(), env);
    expect(facts.errors).toEqual([]);
    expect(facts.compatibility.node).toBe(process.versions.node);
    expect(facts.compatibility.os.distro).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('snapshots each controller’s configuration from the last readings and names its open control port', async () => {
    const facts = await collectFacts({}, sources(), env);
    expect(facts.configuration.controllers).toEqual([
      {
        device: 'ctrl-1',
        model: 'MCTRL660 Pro',
        firmware: '4.3.0.0',
        reachable: true,
        readAt: 1_764_000_000_000,
        config: { brightness: 200, brightnessMixed: false, selectedInput: 'DVI', inputs: ['DVI1'], redundancy: [{ port: 0, backup: false }, { port: 1, backup: true }], cardsPerPort: { '0': 2, '1': 0 } },
        controlPort: { host: '192.168.10.20', port: 5200, lan: true },
      },
    ]);
    expect(facts.configuration.agent).toEqual({ devices: [{ id: 'ctrl-1', kind: 'novastar', pollIntervalS: 10 }], configVersion: 3 });
  });

  it('measures the clock offset against the configured NTP server only', async () => {
    const facts = await collectFacts({ network: { ntp: [{ host: '127.0.0.1', port: sntp.port }] } }, sources(), env);
    const ntp = facts.network.targets.find((t) => t.role === 'ntp');
    expect(ntp?.reachable).toBe(true);
    expect(facts.network.clockOffsetMs).toBeGreaterThan(119_000);
    expect(facts.network.clockOffsetMs).toBeLessThan(121_000);
    expect(facts.network.targets.map((t) => t.role).sort()).toEqual(['hub', 'ntp']);
  });

  it('reports an unreachable NTP server rather than an offset', async () => {
    const facts = await collectFacts({ network: { ntp: [{ host: '127.0.0.1', port: 9 }] } }, sources(), env);
    expect(facts.network.targets.find((t) => t.role === 'ntp')).toMatchObject({ reachable: false });
    expect(facts.network.clockOffsetMs).toBeUndefined();
  });

  it('sees the extra listening port, the planted sshd settings, pending updates and root', async () => {
    const facts = await collectFacts({}, sources(), env);
    expect(facts.security.listening).toContainEqual({ proto: 'tcp', address: '127.0.0.1', port: extraPort });
    expect(facts.security.ssh).toEqual({ present: true, path: join(root, 'etc/ssh/sshd_config'), passwordAuthentication: true, permitRootLogin: 'yes' });
    expect(facts.security.updates).toEqual({ manager: 'apt', pending: 2, security: 1 });
    expect(facts.security.firewall).toEqual({ state: 'unknown' });
    expect(facts.security.runningAsRoot).toBe(true);
  });

  it('reports usage per mount including tmpfs, log folders, largest files and the outbox', async () => {
    const facts = await collectFacts({ logDirs: [join(root, 'logs')], largestFiles: 2 }, sources(), env);
    expect(facts.disk.mounts.map((m) => m.mount)).toEqual(['/', '/run/full']);
    expect(facts.disk.mounts[1]).toMatchObject({ fstype: 'tmpfs', usedPct: 95, inodesUsedPct: 10 });
    expect(facts.disk.logDirs).toEqual([{ path: join(root, 'logs'), bytes: 50_000, files: 1 }]);
    expect(facts.disk.largestFiles[0]).toEqual({ path: join(root, 'logs/agent.log'), bytes: 50_000 });
    expect(facts.disk.outbox.bytes).toBe(4096);
  });

  it('refuses params outside the contract with a typed error', async () => {
    await expect(collectFacts({ scan: '10.0.0.0/8' }, sources(), env)).rejects.toMatchObject({ code: 'invalid-payload' });
  });

  it('parses /proc/net/tcp6 listeners', () => {
    const text = '  sl  local_address                         remote_address                        st\n   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0\n   1: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 0\n   2: 00000000000000000000000000000000:0017 00000000000000000000000000000000:0000 01 0\n';
    expect(parseProcNetTcp(text, 'tcp6')).toEqual([
      { proto: 'tcp6', address: '::1', port: 8080 },
      { proto: 'tcp6', address: '::', port: 22 },
    ]);
    const mapped = 'sl local\n 0: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 0\n';
    expect(parseProcNetTcp(mapped, 'tcp6')).toEqual([{ proto: 'tcp6', address: '::ffff:127.0.0.1', port: 80 }]);
  });
});
