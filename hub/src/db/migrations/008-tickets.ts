import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Fault tickets (see tickets/README.md): the ticket, the alarms linked to it, its event
 * history (every transition with who and when), its attachments, and a warranty end date
 * on devices.
 *
 * One open ticket per (agent, device, fault type) among tickets opened from alarms: a
 * partial unique index over the open states (new, assigned, scheduled, on-site).
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema.alterTable('devices').addColumn('warranty_end', 'bigint').execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('agent_id', 'text')
    .addColumn('device_id', 'text')
    .addColumn('device_pk', 'integer')
    .addColumn('component', 'text')
    .addColumn('fault_type', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('channel', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('assignee_user_id', 'text')
    .addColumn('appointment_at', 'bigint')
    .addColumn('responded_at', 'bigint')
    .addColumn('on_site_at', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('confirmed_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('fault_cleared_at', 'bigint')
    .addColumn('cause', 'text')
    .addColumn('treatment', 'text')
    .addColumn('parts', 'text')
    .addColumn('problem_type', 'text')
    .addColumn('location', 'text')
    .addColumn('solution', 'text')
    .addColumn('warranty', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('warranty_end', 'bigint')
    .addColumn('recurring', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recurring_count', 'integer')
    .addColumn('escalated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sla_policy_id', 'text')
    .addColumn('sla_snapshot', 'text')
    .addColumn('respond_by', 'bigint')
    .addColumn('on_site_by', 'bigint')
    .addColumn('resolve_by', 'bigint')
    .addColumn('sla_emitted', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`create unique index tickets_one_open_per_fault on tickets (agent_id, device_id, fault_type) where source = 'alarm' and state in ('new', 'assigned', 'scheduled', 'on-site')`.execute(db);
  await db.schema.createIndex('tickets_customer').on('tickets').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('tickets_state').on('tickets').column('state').execute();
  await db.schema.createIndex('tickets_device_type').on('tickets').columns(['agent_id', 'device_id', 'fault_type']).execute();

  await db.schema
    .createTable('ticket_alarms')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('alarm_id', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('cleared_at', 'bigint')
    .addPrimaryKeyConstraint('ticket_alarms_pk', ['ticket_id', 'alarm_id'])
    .execute();
  await db.schema.createIndex('ticket_alarms_alarm').on('ticket_alarms').column('alarm_id').execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text')
    .addColumn('body', 'text')
    .execute();
  await db.schema.createIndex('ticket_events_ticket').on('ticket_events').columns(['ticket_id', 'id']).execute();

  await db.schema
    .createTable('ticket_attachments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.createIndex('ticket_attachments_ticket').on('ticket_attachments').column('ticket_id').execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('ticket_attachments').execute();
  await db.schema.dropTable('ticket_events').execute();
  await db.schema.dropTable('ticket_alarms').execute();
  await db.schema.dropTable('tickets').execute();
  await db.schema.alterTable('devices').dropColumn('warranty_end').execute();
}
