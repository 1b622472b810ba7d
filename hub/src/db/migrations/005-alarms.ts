import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Alarms: custom rules and per-scope overrides of the shipped defaults, the alarms
 * themselves (one open per agent, device, component and type), and maintenance windows
 * per site. Alarms keep no foreign keys: their history outlives agents and devices.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('alarm_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('match', 'text', (c) => c.notNull())
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await db.schema
    .createTable('alarm_rule_overrides')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer')
    .addColumn('severity', 'text')
    .addColumn('value', 'text')
    .addColumn('clear_value', 'real')
    .addColumn('for_s', 'real')
    .addColumn('after_s', 'real')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addPrimaryKeyConstraint('alarm_rule_overrides_pk', ['rule_id', 'scope', 'scope_id'])
    .execute();

  await db.schema
    .createTable('alarms')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('component', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_value', 'text')
    .addColumn('message', 'text')
    .addColumn('acked_by', 'text')
    .addColumn('acked_at', 'bigint')
    .addColumn('cleared_at', 'bigint')
    .addColumn('clear_reason', 'text')
    .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suppressed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // One open alarm per (agent, device, component, type); cleared ones are history.
  await sql`create unique index alarms_open_key on alarms (agent_id, device_id, component, type) where state != 'cleared'`.execute(db);
  await db.schema.createIndex('alarms_state').on('alarms').columns(['state', 'id']).execute();
  await db.schema.createIndex('alarms_site').on('alarms').columns(['site_id', 'id']).execute();
  await db.schema.createIndex('alarms_agent').on('alarms').columns(['agent_id', 'device_id', 'id']).execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('maintenance_windows_site').on('maintenance_windows').columns(['site_id', 'ends_at']).execute();
}

export async function down(db: AnyDB): Promise<void> {
  for (const t of ['maintenance_windows', 'alarms', 'alarm_rule_overrides', 'alarm_rules']) await db.schema.dropTable(t).execute();
}
