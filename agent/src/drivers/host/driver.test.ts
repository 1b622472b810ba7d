import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { FakeHostProbe } from '../../test-utils/fake-host-probe.js';
import { HostDriver, type HostOptions } from './driver.js';

const AT = 1_750_000_000_000;

function driver(probe: FakeHostProbe, options: HostOptions = {}): HostDriver {
  return new HostDriver({ device: { id: 'host', kind: 'host', pollIntervalS: 10 }, options, log: silentLogger(), now: () => AT }, probe);
}

const signal = (): AbortSignal => new AbortController().signal;

describe('host driver against a fake probe', () => {
  it('reports CPU use from the change in CPU times since the last poll', async () => {
    const probe = new FakeHostProbe();
    const d = driver(probe);
    probe.cpu = { idle: 1000 + 300, total: 2000 + 1000 }; // 70 % busy since creation
    const [first] = await d.poll(signal());
    expect(first?.metrics.cpuPct).toBe(70);
    probe.cpu = { idle: 1300 + 900, total: 3000 + 1000 }; // 10 % busy
    const [second] = await d.poll(signal());
    expect(second?.metrics.cpuPct).toBe(10);
  });

  it('reports memory, load, uptime and the OS and Node versions', async () => {
    const [system] = await driver(new FakeHostProbe()).poll(signal());
    expect(system).toMatchObject({ device: 'host', at: AT, state: 'ok' });
    expect(system?.metrics).toMatchObject({
      cpuCount: 4,
      load1: 0.5,
      load15: 0.13,
      memTotalBytes: 8000,
      memFreeBytes: 2000,
      memUsedPct: 75,
      swapUsedPct: 25,
      uptimeS: 3600,
      hostname: 'led-pc-1',
      osName: 'Debian GNU/Linux 12 (bookworm)',
      osRelease: '6.1.0-18-arm64',
      arch: 'arm64',
      nodeVersion: 'v20.19.0',
    });
  });

  it('reports one reading per real mount with the mount point as component', async () => {
    const probe = new FakeHostProbe();
    probe.mountList.push({ device: 'proc', mountPoint: '/proc', fsType: 'proc' }, { device: '/dev/sdb1', mountPoint: '/data', fsType: 'xfs' });
    probe.usage.set('/data', { totalBytes: 1000, freeBytes: 1000, availableBytes: 1000, totalInodes: 0, freeInodes: 0 });
    const disks = (await driver(probe).poll(signal())).slice(1);
    expect(disks.map((r) => r.component)).toEqual(['/', '/data']);
    expect(disks[0]?.metrics).toMatchObject({
      totalBytes: 100,
      freeBytes: 20,
      usedBytes: 70,
      usedPct: 77.78, // like df: 70 / (70 + 20)
      inodesUsedPct: 60,
      fsType: 'ext4',
    });
    expect(disks[1]?.metrics.inodesTotal).toBeUndefined();
  });

  it('marks an unreadable filesystem unknown and a configured but absent mount missing', async () => {
    const probe = new FakeHostProbe();
    probe.mountList.push({ device: '/dev/sdb1', mountPoint: '/media/usb', fsType: 'vfat' });
    probe.usage.set('/media/usb', new Error('EIO: i/o error'));
    const readings = await driver(probe, { mounts: ['/', '/media/usb', '/data'] }).poll(signal());
    expect(readings.slice(1).map((r) => [r.component, r.state])).toEqual([
      ['/', 'ok'],
      ['/media/usb', 'unknown'],
      ['/data', 'missing'],
    ]);
    expect(readings[2]?.metrics.error).toMatch(/EIO/);
  });

  it('gives up on a hung filesystem when its signal aborts', async () => {
    const probe = new FakeHostProbe();
    probe.hang = true;
    const controller = new AbortController();
    const polling = driver(probe).poll(controller.signal);
    setTimeout(() => controller.abort(new Error('poll timed out')), 20); // by then it waits on statfs
    await expect(polling).rejects.toThrow(/poll timed out/);
  });

  it('refuses to poll once closed, with a driver-closed error', async () => {
    const d = driver(new FakeHostProbe());
    await d.close();
    await expect(d.poll(signal())).rejects.toMatchObject({ code: 'driver-closed' });
  });

  it('describes the machine in its inventory', async () => {
    expect(await driver(new FakeHostProbe()).inventory()).toEqual([
      {
        id: 'host',
        kind: 'host',
        name: 'led-pc-1',
        model: 'Raspberry Pi 4 Model B Rev 1.5',
        serial: '10000000abcdef',
        firmware: 'Debian GNU/Linux 12 (bookworm); kernel 6.1.0-18-arm64; node v20.19.0',
        capabilities: ['cpu', 'load', 'memory', 'disk', 'uptime', 'os'],
      },
    ]);
  });
});
