import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/** Device- and agent-reported events, kept so an acknowledged event is never lost. */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('agent_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('component', 'text')
    .addColumn('severity', 'text')
    .addColumn('message', 'text')
    .addColumn('data', 'text')
    // A replayed batch (same seq) must not store its events twice.
    .addUniqueConstraint('agent_events_seq_idx', ['agent_id', 'seq', 'idx'])
    .execute();
  await db.schema.createIndex('agent_events_at').on('agent_events').columns(['agent_id', 'at']).execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('agent_events').execute();
}
