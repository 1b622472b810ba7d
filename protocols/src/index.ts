export * from './errors.js';
export * from './contract/index.js';
export * from './config/index.js';
export * as novastar from './novastar/index.js';
