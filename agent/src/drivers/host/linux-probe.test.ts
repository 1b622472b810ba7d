import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { hostDriverFactory } from './driver.js';
import { LinuxHostProbe, parseMeminfo, parseMounts, parseOsRelease } from './linux-probe.js';

describe('Linux host probe parsers', () => {
  it('reads MemTotal, MemAvailable and swap from /proc/meminfo in bytes', () => {
    const text = 'MemTotal:        3884096 kB\nMemFree:          211000 kB\nMemAvailable:    2500000 kB\nSwapTotal:       102396 kB\nSwapFree:         51198 kB\n';
    expect(parseMeminfo(text)).toEqual({ totalBytes: 3884096 * 1024, availableBytes: 2500000 * 1024, swapTotalBytes: 102396 * 1024, swapFreeBytes: 51198 * 1024 });
  });

  it('approximates available memory on kernels without MemAvailable', () => {
    expect(parseMeminfo('MemTotal: 100 kB\nMemFree: 10 kB\nBuffers: 5 kB\nCached: 20 kB\n')?.availableBytes).toBe(35 * 1024);
  });

  it('decodes octal escapes in /proc/mounts', () => {
    expect(parseMounts('/dev/sdb1 /media/LED\\040Content vfat rw 0 0\n\n')).toEqual([{ device: '/dev/sdb1', mountPoint: '/media/LED Content', fsType: 'vfat' }]);
  });

  it('prefers PRETTY_NAME in /etc/os-release', () => {
    expect(parseOsRelease('NAME="Ubuntu"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n')).toBe('Ubuntu 22.04.4 LTS');
    expect(parseOsRelease("NAME='Alpine Linux'\nVERSION=3.19\n")).toBe('Alpine Linux 3.19');
  });
});

describe.runIf(process.platform === 'linux')('host driver on this Linux machine', () => {
  it('reports sane CPU, memory, uptime and root filesystem numbers', async () => {
    const driver = hostDriverFactory().create({ device: { id: 'host', kind: 'host', pollIntervalS: 10 }, options: {}, log: silentLogger(), now: Date.now });
    await new Promise((r) => setTimeout(r, 50));
    const readings = await driver.poll(AbortSignal.timeout(5000));
    const system = readings[0]!.metrics;
    expect(system.cpuCount).toBeGreaterThanOrEqual(1);
    expect(system.cpuPct ?? 0).toBeGreaterThanOrEqual(0);
    expect(system.cpuPct ?? 0).toBeLessThanOrEqual(100);
    expect(system.memTotalBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(system.memUsedPct).toBeGreaterThan(0);
    expect(system.memUsedPct).toBeLessThan(100);
    expect(system.uptimeS).toBeGreaterThan(0);
    expect(system.nodeVersion).toBe(process.version);
    expect(system.arch).toBe(process.arch);
    expect(readings.length).toBeGreaterThanOrEqual(2); // at least one real filesystem
    for (const disk of readings.slice(1)) {
      expect(disk.component).toMatch(/^\//);
      expect(disk.metrics.totalBytes).toBeGreaterThan(0);
      expect(disk.metrics.usedPct).toBeGreaterThanOrEqual(0);
      expect(disk.metrics.usedPct).toBeLessThanOrEqual(100);
    }
    const [inv] = await driver.inventory();
    expect(inv?.firmware).toContain(process.version);
    await driver.close();
  });

  it('lists the root filesystem among the mounts', async () => {
    const mounts = await new LinuxHostProbe().mounts(AbortSignal.timeout(5000));
    expect(mounts.map((m) => m.mountPoint)).toContain('/');
  });
});
