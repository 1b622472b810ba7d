/** NovaStar controller simulators for tests and the demo: TCP, serial and UDP discovery around the pure simulator. */
export { startNovaStarTcpSimulator, type NovaStarTcpSimulator, type NovaStarTcpSimulatorOptions } from './tcp.js';
export { startNovaStarSerialSimulator, type NovaStarSerialSimulator, type NovaStarSerialSimulatorOptions } from './serial.js';
export {
  discoveryReply,
  startNovaStarDiscoveryResponder,
  type NovaStarDiscoveryResponder,
  type NovaStarDiscoveryResponderOptions,
} from './discovery.js';
