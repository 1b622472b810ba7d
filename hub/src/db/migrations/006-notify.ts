import { type Kysely, sql } from 'kysely';

// Migrations take Kysely<any>: they must not depend on today's schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Notifications (hub/src/notify): webhook endpoints, who is told about what
 * (subscriptions), the log of every notification with its outcome, and the escalations
 * still due (so a restart neither loses nor repeats them).
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('notify_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // Exactly one target column is set; deleting the contact, user or webhook deletes the subscription.
  await db.schema
    .createTable('notify_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('role', 'text')
    .addColumn('webhook_id', 'text', (c) => c.references('notify_webhooks.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('min_severity', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('cascade'))
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint(
      'notify_subscriptions_one_target',
      sql`(contact_id IS NOT NULL) + (user_id IS NOT NULL) + (role IS NOT NULL) + (webhook_id IS NOT NULL) = 1`,
    )
    .execute();
  await db.schema.createIndex('notify_subscriptions_level').on('notify_subscriptions').column('escalation_level').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('site_id', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('next_attempt_at', 'bigint')
    .execute();
  await db.schema.createIndex('notifications_key_target').on('notifications').columns(['key', 'target', 'created_at']).execute();
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute();
  await db.schema.createIndex('notifications_status').on('notifications').column('status').execute();

  await db.schema
    .createTable('notify_escalations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX notify_escalations_pending ON notify_escalations (key, level) WHERE status = 'pending'`.execute(db);
  await db.schema.createIndex('notify_escalations_due').on('notify_escalations').columns(['status', 'due_at']).execute();
}

export async function down(db: AnyDB): Promise<void> {
  for (const t of ['notify_escalations', 'notifications', 'notify_subscriptions', 'notify_webhooks']) {
    await db.schema.dropTable(t).execute();
  }
}
