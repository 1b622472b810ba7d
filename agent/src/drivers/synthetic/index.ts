export { backfillSlots, checkSyntheticOptions, fillerValue, SyntheticDriver, syntheticDriverFactory, type SyntheticDriverHooks } from './driver.js';
export { DEVICE_COMPONENT, journalLine, parseJournal, prepareJournal } from './journal.js';
export { MAX_BACKFILL_READINGS, SyntheticBackfillSchema, SyntheticOptionsSchema, type SyntheticBackfill, type SyntheticOptions } from './options.js';
