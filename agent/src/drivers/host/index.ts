export { HostDriver, HostOptionsSchema, HOST_CAPABILITIES, hostDriverFactory, type HostDriverFactoryOptions, type HostOptions } from './driver.js';
export { LinuxHostProbe, parseMeminfo, parseMounts, parseOsRelease, type LinuxProbeOptions } from './linux-probe.js';
export { SKIPPED_FS_TYPES, selectMounts, type MountFilter, type MountSelection } from './mounts.js';
export type { CpuTimes, FsUsage, HostProbe, MemoryInfo, MountEntry, OsInfo } from './probe.js';
