/**
 * The `host` driver: health of the site PC itself — CPU, load, memory, uptime, disk usage
 * per mount, OS and Node versions. All OS access goes through a {@link HostProbe}.
 */
import { Type, type Static } from 'typebox';
import { abortReason, raceAbort } from '../../abort.js';
import { AgentError, errorMessage } from '../../errors.js';
import type { Driver, DriverContext, DriverFactory, InventoryDevice, Reading } from '../types.js';
import { LinuxHostProbe } from './linux-probe.js';
import { selectMounts } from './mounts.js';
import type { CpuTimes, HostProbe, MountEntry, OsInfo } from './probe.js';

export const HostOptionsSchema = Type.Object(
  {
    mounts: Type.Optional(
      Type.Array(Type.String({ pattern: '^/' }), {
        description: 'report only these mount points (a missing one is reported as missing); default every local filesystem',
      }),
    ),
    excludeFsTypes: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), { description: 'filesystem types to skip besides the built-in pseudo and network ones' }),
    ),
  },
  { additionalProperties: false },
);
export type HostOptions = Static<typeof HostOptionsSchema>;

export const HOST_CAPABILITIES = ['cpu', 'load', 'memory', 'disk', 'uptime', 'os'];

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (part: number, whole: number): number => (whole > 0 ? round((part / whole) * 100) : 0);
const text = (s: string, max: number): string => (s.length > max ? s.slice(0, max) : s);

export class HostDriver implements Driver {
  readonly #ctx: DriverContext<HostOptions>;
  readonly #probe: HostProbe;
  #lastCpu: CpuTimes;
  #osInfo: OsInfo | undefined;
  #closed = false;

  constructor(ctx: DriverContext<HostOptions>, probe: HostProbe) {
    this.#ctx = ctx;
    this.#probe = probe;
    // The first poll reports CPU use since the driver was created.
    this.#lastCpu = probe.cpuTimes();
  }

  async inventory(): Promise<InventoryDevice[]> {
    const info = await this.#info();
    const device: InventoryDevice = {
      id: this.#ctx.device.id,
      kind: 'host',
      name: text(this.#ctx.device.name ?? info.hostname, 200),
      firmware: text(`${info.osName}; kernel ${info.osRelease}; node ${info.nodeVersion}`, 128),
      capabilities: HOST_CAPABILITIES,
    };
    const model = info.hardwareModel ?? info.cpuModel;
    if (model !== undefined) device.model = text(model, 128);
    if (info.serial !== undefined) device.serial = text(info.serial, 128);
    return [device];
  }

  async poll(signal: AbortSignal): Promise<Reading[]> {
    if (this.#closed) {
      throw new AgentError('driver-closed', `host driver of ${this.#ctx.device.id} is closed`, 'create a new driver to poll again');
    }
    if (signal.aborted) throw abortReason(signal);
    const readings: Reading[] = [await this.#system(signal)];
    const { selected, missing } = selectMounts(await raceAbort(this.#probe.mounts(signal), signal), this.#ctx.options);
    for (const mount of selected) readings.push(await this.#disk(mount, signal));
    for (const mountPoint of missing) {
      readings.push({ device: this.#ctx.device.id, component: mountPoint, at: this.#ctx.now(), metrics: {}, state: 'missing' });
    }
    return readings;
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.resolve();
  }

  async #system(signal: AbortSignal): Promise<Reading> {
    const at = this.#ctx.now();
    const probe = this.#probe;
    const mem = await raceAbort(probe.memory(signal), signal);
    const info = await raceAbort(this.#info(), signal);
    const [load1, load5, load15] = probe.loadAverage();
    const metrics: Reading['metrics'] = {
      cpuCount: probe.cpuCount(),
      load1: round(load1),
      load5: round(load5),
      load15: round(load15),
      memTotalBytes: mem.totalBytes,
      memFreeBytes: mem.availableBytes,
      memUsedBytes: mem.totalBytes - mem.availableBytes,
      memUsedPct: pct(mem.totalBytes - mem.availableBytes, mem.totalBytes),
      uptimeS: Math.floor(probe.uptimeS()),
      hostname: text(info.hostname, 256),
      osPlatform: text(info.platform, 256),
      osName: text(info.osName, 256),
      osRelease: text(info.osRelease, 256),
      arch: text(info.arch, 256),
      nodeVersion: text(info.nodeVersion, 256),
    };
    const cpu = probe.cpuTimes();
    const total = cpu.total - this.#lastCpu.total;
    const idle = cpu.idle - this.#lastCpu.idle;
    this.#lastCpu = cpu;
    if (total > 0) metrics.cpuPct = round(Math.min(100, Math.max(0, (1 - idle / total) * 100)));
    if (mem.swapTotalBytes !== undefined && mem.swapFreeBytes !== undefined) {
      metrics.swapTotalBytes = mem.swapTotalBytes;
      metrics.swapUsedPct = pct(mem.swapTotalBytes - mem.swapFreeBytes, mem.swapTotalBytes);
    }
    return { device: this.#ctx.device.id, at, metrics, state: 'ok' };
  }

  async #disk(mount: MountEntry, signal: AbortSignal): Promise<Reading> {
    const base = { device: this.#ctx.device.id, component: text(mount.mountPoint, 128), at: this.#ctx.now() };
    try {
      const fs = await raceAbort(this.#probe.fsUsage(mount.mountPoint, signal), signal);
      const used = fs.totalBytes - fs.freeBytes;
      const metrics: Reading['metrics'] = {
        totalBytes: fs.totalBytes,
        freeBytes: fs.availableBytes,
        usedBytes: used,
        // Like df: the share of the space an ordinary user could have, that is used.
        usedPct: pct(used, used + fs.availableBytes),
        fsType: text(mount.fsType, 256),
        source: text(mount.device, 256),
      };
      if (fs.totalInodes > 0) {
        metrics.inodesTotal = fs.totalInodes;
        metrics.inodesFree = fs.freeInodes;
        metrics.inodesUsedPct = pct(fs.totalInodes - fs.freeInodes, fs.totalInodes);
      }
      return { ...base, metrics, state: 'ok' };
    } catch (err) {
      if (signal.aborted) throw err;
      this.#ctx.log.warn({ mountPoint: mount.mountPoint, err: errorMessage(err) }, 'cannot read filesystem usage');
      return { ...base, metrics: { error: text(errorMessage(err), 256) }, state: 'unknown' };
    }
  }

  async #info(): Promise<OsInfo> {
    this.#osInfo ??= await this.#probe.osInfo();
    return this.#osInfo;
  }
}

export interface HostDriverFactoryOptions {
  /** Makes the OS probe; the Linux probe by default. */
  probe?: () => HostProbe;
}

export function hostDriverFactory(opts: HostDriverFactoryOptions = {}): DriverFactory<HostOptions> {
  const makeProbe = opts.probe ?? (() => new LinuxHostProbe());
  return {
    kind: 'host',
    optionsSchema: HostOptionsSchema,
    create: (ctx) => new HostDriver(ctx, makeProbe()),
  };
}
