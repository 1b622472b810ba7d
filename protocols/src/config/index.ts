export * from './resolve.js';
export * from './reference.js';
