export * from './canonical.js';
export * from './errors.js';
export * from './manifest.js';
export * from './signing.js';
export * from './version.js';
