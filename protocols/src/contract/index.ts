export * from './topics.js';
export * from './payloads.js';
export * from './codec.js';
export * from './samples.js';
export * from './remote-config.js';
export * from './inspect.js';
export * from './inspect-codec.js';
