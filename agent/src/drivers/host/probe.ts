/**
 * The seam between the host driver and the operating system. The driver computes
 * readings; a probe only gathers raw numbers. Linux is implemented in linux-probe.ts;
 * tests fake this interface, and a Windows agent would add its own probe.
 */

/** Cumulative CPU time over all cores since boot, in any consistent unit. */
export interface CpuTimes {
  idle: number;
  total: number;
}

export interface MemoryInfo {
  totalBytes: number;
  /** Memory available to new work without swapping (Linux MemAvailable). */
  availableBytes: number;
  swapTotalBytes?: number;
  swapFreeBytes?: number;
}

export interface MountEntry {
  /** Source, e.g. /dev/sda1 or tmpfs. */
  device: string;
  mountPoint: string;
  fsType: string;
}

export interface FsUsage {
  totalBytes: number;
  freeBytes: number;
  /** Free bytes an unprivileged user may use. */
  availableBytes: number;
  totalInodes: number;
  freeInodes: number;
}

export interface OsInfo {
  hostname: string;
  /** e.g. linux */
  platform: string;
  /** Distribution name, e.g. "Debian GNU/Linux 12 (bookworm)". */
  osName: string;
  /** Kernel release, e.g. 6.1.0-18-amd64. */
  osRelease: string;
  arch: string;
  nodeVersion: string;
  cpuModel?: string;
  /** Hardware model, e.g. from DMI or the device tree (Raspberry Pi 4 Model B). */
  hardwareModel?: string;
  serial?: string;
}

export interface HostProbe {
  cpuTimes(): CpuTimes;
  cpuCount(): number;
  /** 1, 5 and 15 minute load averages. */
  loadAverage(): [number, number, number];
  memory(signal: AbortSignal): Promise<MemoryInfo>;
  uptimeS(): number;
  osInfo(): Promise<OsInfo>;
  mounts(signal: AbortSignal): Promise<MountEntry[]>;
  fsUsage(mountPoint: string, signal: AbortSignal): Promise<FsUsage>;
}
