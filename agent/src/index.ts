/** Public API of @ledwatch/agent. */
export { Agent, type AgentOptions, type AgentStats } from './agent.js';
export {
  AGENT_ENV_PREFIX,
  AgentConfigSchema,
  DEFAULT_DEVICES,
  DEVICE_ID_PATTERN,
  DeviceConfigSchema,
  loadAgentConfig,
  pollTimeoutMs,
  resolveAgentConfig,
  type AgentConfig,
  type DeviceConfig,
  type ResolveAgentConfigOptions,
} from './config.js';
export { AgentError, type AgentErrorCode } from './errors.js';
export { Backoff } from './backoff.js';
export { handleCommand, type CommandContext } from './commands.js';
export { builtinDrivers } from './drivers/builtin.js';
export { DriverRegistry } from './drivers/registry.js';
export type { Driver, DriverContext, DriverFactory } from './drivers/types.js';
export * from './drivers/host/index.js';
export { Link, newSessionId, type LinkEvents, type LinkOptions, type LinkStats } from './link.js';
export { createLogger, LOG_LEVELS, REDACT_PATHS, silentLogger, type LogLevel, type Logger } from './log.js';
export { runCli, USAGE, type CliIo } from './main.js';
export { Scheduler, type ScheduledDevice, type SchedulerOptions, type SchedulerStats } from './scheduler.js';
export { SeqState, STATE_FILE, type SeqStateOptions } from './state.js';
export { AGENT_VERSION } from './version.js';
export { ConfigError, type ConfigIssue } from '@ledwatch/protocols';
export { resolveSiteConfig, loadSiteConfig, SiteConfigSchema, type SiteConfig } from './simulate/site-config.js';
export { startSite, type RunningSite, type SiteFault } from './simulate/site.js';
export { faultPlan, rotateFaults, type Rotation } from './simulate/rotation.js';
export * from './outbox/index.js';
