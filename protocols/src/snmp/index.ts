export * from './errors.js';
export * from './oid.js';
export * from './varbind.js';
export * from './profile.js';
export * from './decode.js';
export * from './ups-mib.js';
export * from './if-mib.js';
export * from './flap.js';
