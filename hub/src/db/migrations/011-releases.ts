import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Signed software upgrades: the release public keys the hub hands to agents (never the
 * private part), uploaded releases (signed manifest + artifact file on disk), agent tags
 * for targeting, and rollouts with one row per targeted agent (its wave, stage and outcome).
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('release_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('announcement', 'text')
    .addColumn('valid_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('signed', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('yanked_at', 'bigint')
    .addColumn('yank_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addUniqueConstraint('releases_name_version', ['name', 'version'])
    .execute();

  await db.schema
    .createTable('agent_tags')
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_tags_pk', ['agent_id', 'tag'])
    .execute();

  await db.schema
    .createTable('rollouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('release_id', 'text', (c) => c.notNull().references('releases.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('current_wave', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('rollout_targets')
    .addColumn('rollout_id', 'text', (c) => c.notNull().references('rollouts.id').onDelete('cascade'))
    .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('wave', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('stage', 'text')
    .addColumn('command_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('error_code', 'text')
    .addColumn('from_version', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollout_targets_pk', ['rollout_id', 'agent_id'])
    .execute();
  await db.schema.createIndex('rollout_targets_command').on('rollout_targets').column('command_id').execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('rollout_targets').execute();
  await db.schema.dropTable('rollouts').execute();
  await db.schema.dropTable('agent_tags').execute();
  await db.schema.dropTable('releases').execute();
  await db.schema.dropTable('release_keys').execute();
}
