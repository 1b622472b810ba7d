import { describe, expect, it } from 'vitest';
import { selectMounts } from './mounts.js';
import type { MountEntry } from './probe.js';

const m = (device: string, mountPoint: string, fsType: string): MountEntry => ({ device, mountPoint, fsType });

const TABLE = [
  m('sysfs', '/sys', 'sysfs'),
  m('proc', '/proc', 'proc'),
  m('udev', '/dev', 'devtmpfs'),
  m('tmpfs', '/run', 'tmpfs'),
  m('/dev/mmcblk0p2', '/', 'ext4'),
  m('cgroup2', '/sys/fs/cgroup', 'cgroup2'),
  m('/dev/mmcblk0p1', '/boot/firmware', 'vfat'),
  m('/dev/loop3', '/snap/core22/1380', 'squashfs'),
  m('overlay', '/var/lib/docker/overlay2/abc/merged', 'overlay'),
  m('/dev/mmcblk0p2', '/var/lib/docker', 'ext4'), // bind mount of the root device
  m('nas:/media', '/mnt/media', 'nfs4'),
  m('/dev/sda1', '/mnt/usb', 'exfat'),
];

describe('selectMounts', () => {
  it('keeps local real filesystems and skips pseudo, image, network and overlay-internal mounts', () => {
    expect(selectMounts(TABLE, {}).selected.map((e) => e.mountPoint)).toEqual(['/', '/boot/firmware', '/mnt/usb']);
  });

  it('keeps an overlay when it is the root of a container', () => {
    expect(selectMounts([m('overlay', '/', 'overlay'), m('shm', '/dev/shm', 'tmpfs')], {}).selected).toEqual([m('overlay', '/', 'overlay')]);
  });

  it('skips the extra filesystem types configured', () => {
    expect(selectMounts(TABLE, { excludeFsTypes: ['vfat', 'exfat'] }).selected.map((e) => e.mountPoint)).toEqual(['/']);
  });

  it('reports exactly the configured mounts, and which of them are missing', () => {
    expect(selectMounts(TABLE, { mounts: ['/mnt/media', '/srv'] })).toEqual({ selected: [m('nas:/media', '/mnt/media', 'nfs4')], missing: ['/srv'] });
  });

  it('uses the later of two mounts on the same point', () => {
    expect(selectMounts([m('/dev/sda1', '/data', 'ext4'), m('/dev/sdb1', '/data', 'xfs')], {}).selected).toEqual([m('/dev/sdb1', '/data', 'xfs')]);
  });
});
