export * from './errors.js';
export * from './contract/index.js';
export * from './config/index.js';
