import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Recurring-problem thresholds per customer (tickets/recurring.ts): how many occurrences of
 * the same fault on the same device within a calendar month, quarter or year make it
 * recurring. A null column, or no row, means the hub-wide `tickets.recurring` value.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('customer_recurring')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    .addColumn('month', 'integer')
    .addColumn('quarter', 'integer')
    .addColumn('year', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('customer_recurring').execute();
}
