/**
 * HostProbe for Linux (x64, arm64): /proc for memory and mounts, statfs for disks,
 * /etc/os-release and DMI or the device tree for names.
 */
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import type { CpuTimes, FsUsage, HostProbe, MemoryInfo, MountEntry, OsInfo } from './probe.js';

export interface LinuxProbeOptions {
  /** Root of the files read, for tests against a fake tree; `/` by default. */
  root?: string;
}

export class LinuxHostProbe implements HostProbe {
  readonly #root: string;

  constructor(opts: LinuxProbeOptions = {}) {
    this.#root = (opts.root ?? '/').replace(/\/$/, '');
  }

  cpuTimes(): CpuTimes {
    let idle = 0;
    let total = 0;
    for (const cpu of os.cpus()) {
      const t = cpu.times;
      idle += t.idle;
      total += t.user + t.nice + t.sys + t.idle + t.irq;
    }
    return { idle, total };
  }

  cpuCount(): number {
    return os.availableParallelism();
  }

  loadAverage(): [number, number, number] {
    const [a = 0, b = 0, c = 0] = os.loadavg();
    return [a, b, c];
  }

  async memory(signal: AbortSignal): Promise<MemoryInfo> {
    const text = await this.#read('/proc/meminfo', signal);
    if (text === undefined) return { totalBytes: os.totalmem(), availableBytes: os.freemem() };
    return parseMeminfo(text) ?? { totalBytes: os.totalmem(), availableBytes: os.freemem() };
  }

  uptimeS(): number {
    return os.uptime();
  }

  async osInfo(): Promise<OsInfo> {
    const signal = AbortSignal.timeout(2000);
    const release = await this.#read('/etc/os-release', signal);
    const model =
      (await this.#read('/sys/firmware/devicetree/base/model', signal)) ?? (await this.#read('/sys/class/dmi/id/product_name', signal));
    const serial = await this.#read('/sys/firmware/devicetree/base/serial-number', signal);
    const info: OsInfo = {
      hostname: os.hostname(),
      platform: process.platform,
      osName: (release !== undefined ? parseOsRelease(release) : undefined) ?? `${os.type()} ${os.release()}`,
      osRelease: os.release(),
      arch: process.arch,
      nodeVersion: process.version,
    };
    const cpuModel = os.cpus()[0]?.model.trim();
    if (cpuModel) info.cpuModel = cpuModel;
    const hw = cleanText(model);
    if (hw) info.hardwareModel = hw;
    const sn = cleanText(serial);
    if (sn) info.serial = sn;
    return info;
  }

  async mounts(signal: AbortSignal): Promise<MountEntry[]> {
    const text = (await this.#read('/proc/self/mounts', signal)) ?? (await this.#read('/proc/mounts', signal)) ?? '';
    return parseMounts(text);
  }

  async fsUsage(mountPoint: string, signal: AbortSignal): Promise<FsUsage> {
    signal.throwIfAborted();
    const s = await statfs(mountPoint);
    return {
      totalBytes: s.blocks * s.bsize,
      freeBytes: s.bfree * s.bsize,
      availableBytes: s.bavail * s.bsize,
      totalInodes: s.files,
      freeInodes: s.ffree,
    };
  }

  async #read(path: string, signal: AbortSignal): Promise<string | undefined> {
    try {
      return await readFile(`${this.#root}${path}`, { encoding: 'utf8', signal });
    } catch (err) {
      if (signal.aborted) throw err;
      return undefined;
    }
  }
}

/** Parses /proc/meminfo (values in kB). */
export function parseMeminfo(text: string): MemoryInfo | undefined {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1] as string, Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  if (total === undefined) return undefined;
  // Kernels before 3.14 have no MemAvailable: approximate it.
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  const info: MemoryInfo = { totalBytes: total, availableBytes: Math.min(available, total) };
  const swapTotal = kb.get('SwapTotal');
  const swapFree = kb.get('SwapFree');
  if (swapTotal !== undefined) info.swapTotalBytes = swapTotal;
  if (swapFree !== undefined) info.swapFreeBytes = swapFree;
  return info;
}

/** Parses /proc/mounts; octal escapes (\040 for a space) are decoded. */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, mountPoint, fsType] = line.trim().split(/\s+/);
    if (device === undefined || mountPoint === undefined || fsType === undefined) continue;
    out.push({ device: unescapeMount(device), mountPoint: unescapeMount(mountPoint), fsType });
  }
  return out;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** PRETTY_NAME (or NAME VERSION) from /etc/os-release. */
export function parseOsRelease(text: string): string | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) fields.set(m[1] as string, (m[2] as string).replace(/^(["'])(.*)\1$/, '$2'));
  }
  return fields.get('PRETTY_NAME') ?? ([fields.get('NAME'), fields.get('VERSION')].filter(Boolean).join(' ') || undefined);
}

/** Device-tree strings end in NUL; DMI ones in a newline. */
function cleanText(s: string | undefined): string | undefined {
  const t = s?.replace(/\0/g, '').trim();
  return t === '' ? undefined : t;
}
