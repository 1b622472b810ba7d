/** The NovaStar driver: factory, options, client, discovery and the scan probe. */
export { NovaStarDriver, novastarDriverFactory, type NovaStarDriverFactoryOptions } from './driver.js';
export { NovaStarOptionsSchema, assertNovaStarOptions, novastarOptionIssues, NOVASTAR_TCP_PORT, NOVASTAR_VX_PRO_TCP_PORT, type NovaStarOptions, type OptionIssue } from './options.js';
export { NovaStarClient, DEFAULT_REQUEST_TIMEOUT_MS, type NovaStarClientOptions, type ReadTarget } from './client.js';
export { probeBaud, NOVASTAR_BAUD_RATES, type BaudProbeOptions, type BaudProbeResult } from './baud.js';
export { HeldTracker, HELD_MESSAGE, type HeldTrackerOptions } from './held.js';
export { CARD_LIMITS, cardHealth } from './states.js';
export { cardDeviceId } from './readings.js';
export { NOVASTAR_KIND } from './inventory.js';
export {
  discoverNovaStar,
  parseDiscoveryReply,
  DISCOVERY_REPLY_PREFIX,
  DISCOVERY_REQUEST,
  NOVASTAR_DISCOVERY_MULTICAST,
  NOVASTAR_DISCOVERY_PORT,
  type DiscoverOptions,
  type DiscoveredController,
  type DiscoveryTarget,
} from './discovery.js';
export { probeNovaStar, resolveNovaStarOptions, type NovaStarProbeResult, type ProbeDeps } from './probe.js';
