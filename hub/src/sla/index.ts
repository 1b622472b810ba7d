/**
 * SLA clocks and business calendars: pure calendar arithmetic (calendar.ts, zone.ts), policies
 * and clock states (policy.ts), the warning/breach monitor (monitor.ts), and storage (store.ts).
 */
export * from './calendar.js';
export * from './policy.js';
export * from './monitor.js';
export * from './store.js';
export { isValidTimeZone } from './zone.js';
