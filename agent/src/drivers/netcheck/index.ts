export { NetcheckDriver, netcheckDriverFactory } from './driver.js';
export { NetcheckOptionsSchema, NetcheckTargetSchema, type NetcheckOptions, type NetcheckTargetOptions } from './options.js';
export { resolveTargets, type HttpTarget, type StatusRanges, type Target, type TcpTarget } from './targets.js';
export type { CertInfo, CheckResult } from './check.js';
