/** The durable outbox: batches on disk until the hub acks them, and the sender that replays them. */
export { DEFAULT_MAX_AGE_MS, DEFAULT_MAX_BYTES, Outbox, OUTBOX_FILE, type OutboxItems, type OutboxKind, type OutboxOptions, type OutboxRecord, type OutboxStats } from './outbox.js';
export { Sender, type SenderOptions, type SenderStats } from './sender.js';
export { Pacer } from './pacer.js';
