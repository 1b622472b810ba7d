export { startHub, createLogger, type RunningHub } from './hub.js';
export { loadHubConfig, HubConfigSchema, type HubConfig } from './config.js';
export { createAdmin } from './auth/admin.js';
export { PortInUseError } from './broker/listeners.js';
export { backupStateDb } from './backup.js';
export { HUB_VERSION } from './version.js';
