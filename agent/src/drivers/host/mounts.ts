/**
 * Which mounts the host driver reports. By default every local, real filesystem: pseudo
 * filesystems (proc, sysfs, cgroup, tmpfs, …), read-only images (squashfs snaps) and
 * network filesystems (a hung NFS server would stall the poll) are skipped; an overlay is
 * kept only as a container's root. A block device mounted several times (bind mounts) is
 * reported once, at its shortest mount point.
 */
import type { MountEntry } from './probe.js';

export const SKIPPED_FS_TYPES: ReadonlySet<string> = new Set([
  // kernel and runtime pseudo filesystems
  'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs', 'efivarfs',
  'fusectl', 'hugetlbfs', 'mqueue', 'nsfs', 'proc', 'pstore', 'ramfs', 'rootfs', 'rpc_pipefs', 'securityfs',
  'selinuxfs', 'sysfs', 'tmpfs', 'tracefs', 'fuse.lxcfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.snapfuse',
  // read-only images
  'squashfs', 'iso9660',
  // network filesystems: list their mount points in `mounts` to report them
  '9p', 'afs', 'ceph', 'cifs', 'davfs', 'fuse.rclone', 'fuse.sshfs', 'glusterfs', 'nfs', 'nfs4', 'smb3', 'smbfs',
]);

export interface MountSelection {
  selected: MountEntry[];
  /** Mount points asked for in `mounts` that are not mounted. */
  missing: string[];
}

export interface MountFilter {
  mounts?: string[] | undefined;
  excludeFsTypes?: string[] | undefined;
}

export function selectMounts(entries: readonly MountEntry[], filter: MountFilter): MountSelection {
  // A later mount on the same point hides the earlier one.
  const byPoint = new Map<string, MountEntry>();
  for (const e of entries) byPoint.set(e.mountPoint, e);

  if (filter.mounts !== undefined) {
    const selected: MountEntry[] = [];
    const missing: string[] = [];
    for (const mp of filter.mounts) {
      const e = byPoint.get(mp);
      if (e) selected.push(e);
      else missing.push(mp);
    }
    return { selected, missing };
  }

  const extra = new Set(filter.excludeFsTypes ?? []);
  const candidates = [...byPoint.values()].filter(
    (e) => !SKIPPED_FS_TYPES.has(e.fsType) && !extra.has(e.fsType) && (e.fsType !== 'overlay' || e.mountPoint === '/'),
  );
  const byDevice = new Map<string, MountEntry>();
  const selected: MountEntry[] = [];
  for (const e of candidates) {
    if (!e.device.startsWith('/dev/')) {
      selected.push(e);
      continue;
    }
    const prev = byDevice.get(e.device);
    if (prev === undefined || e.mountPoint.length < prev.mountPoint.length) byDevice.set(e.device, e);
  }
  selected.push(...byDevice.values());
  selected.sort((a, b) => a.mountPoint.localeCompare(b.mountPoint));
  return { selected, missing: [] };
}
