/** A scriptable HostProbe for tests (the seam the host driver is faked at). */
import type { CpuTimes, FsUsage, HostProbe, MemoryInfo, MountEntry, OsInfo } from '../drivers/host/probe.js';

export class FakeHostProbe implements HostProbe {
  cpu: CpuTimes = { idle: 1000, total: 2000 };
  mem: MemoryInfo = { totalBytes: 8_000, availableBytes: 2_000, swapTotalBytes: 1000, swapFreeBytes: 750 };
  mountList: MountEntry[] = [{ device: '/dev/sda1', mountPoint: '/', fsType: 'ext4' }];
  usage = new Map<string, FsUsage | Error>([
    ['/', { totalBytes: 100, freeBytes: 30, availableBytes: 20, totalInodes: 10, freeInodes: 4 }],
  ]);
  /** When set, fsUsage never settles (a hung network mount). */
  hang = false;
  /**
   * When set, every asynchronous call never settles: the OS stopped answering (the
   * conformance suite's silence()).
   */
  silent = false;
  info: OsInfo = {
    hostname: 'led-pc-1',
    platform: 'linux',
    osName: 'Debian GNU/Linux 12 (bookworm)',
    osRelease: '6.1.0-18-arm64',
    arch: 'arm64',
    nodeVersion: 'v20.19.0',
    hardwareModel: 'Raspberry Pi 4 Model B Rev 1.5',
    serial: '10000000abcdef',
  };

  cpuTimes(): CpuTimes {
    return { ...this.cpu };
  }
  cpuCount(): number {
    return 4;
  }
  loadAverage(): [number, number, number] {
    return [0.5, 0.25, 0.125];
  }
  memory(): Promise<MemoryInfo> {
    return this.#answer(this.mem);
  }
  uptimeS(): number {
    return 3600.7;
  }
  osInfo(): Promise<OsInfo> {
    return this.#answer(this.info);
  }
  mounts(): Promise<MountEntry[]> {
    return this.#answer(this.mountList);
  }
  fsUsage(mountPoint: string): Promise<FsUsage> {
    if (this.hang || this.silent) return new Promise(() => undefined);
    const u = this.usage.get(mountPoint);
    if (u instanceof Error) return Promise.reject(u);
    return u ? Promise.resolve(u) : Promise.reject(new Error(`ENOENT: ${mountPoint}`));
  }

  #answer<T>(value: T): Promise<T> {
    return this.silent ? new Promise(() => undefined) : Promise.resolve(value);
  }
}
