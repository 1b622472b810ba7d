import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Commands sent to agents (durable: queued until the agent is online, resent at its
 * birth until answered) and each agent's remotely managed configuration, versioned.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('commands')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('params', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('commands_agent_state').on('commands').columns(['agent_id', 'state']).execute();

  await db.schema
    .createTable('agent_configs')
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('command_id', 'text')
    .addColumn('errors', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('applied_at', 'bigint')
    .addPrimaryKeyConstraint('agent_configs_pk', ['agent_id', 'version'])
    .execute();

  await db.schema.alterTable('agents').addColumn('config_version', 'integer').execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('agent_configs').execute();
  await db.schema.dropTable('commands').execute();
  await db.schema.alterTable('agents').dropColumn('config_version').execute();
}
