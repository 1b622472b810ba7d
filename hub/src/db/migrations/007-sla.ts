import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * SLA policies and business calendars, and which policy a customer's contract has (customers
 * without a row get the policy with id `default`).
 *
 * Seeds two built-in rows, both editable and neither deletable through the API:
 * - calendar `default`: Monday–Friday 08:00–18:00 UTC, no holidays;
 * - policy `default` ("Standard"): respond within 4 business hours, on site within 24 h,
 *   resolved within 5 working days, warn when 20 % of a clock is left; on calendar `default`.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('business_calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('working_days', 'text', (c) => c.notNull())
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('holidays', 'text', (c) => c.notNull())
    .addColumn('twenty_four_seven', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('respond_hours', 'real', (c) => c.notNull())
    .addColumn('respond_calendar', 'text', (c) => c.notNull())
    .addColumn('on_site_hours', 'real', (c) => c.notNull())
    .addColumn('on_site_calendar', 'text', (c) => c.notNull())
    .addColumn('resolve_working_days', 'integer', (c) => c.notNull())
    .addColumn('warn_before_pct', 'real', (c) => c.notNull())
    .addColumn('calendar_id', 'text', (c) => c.notNull().references('business_calendars.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer_sla')
    .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.notNull().references('sla_policies.id'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_sla_policy').on('customer_sla').column('policy_id').execute();

  const now = Date.now();
  await db
    .insertInto('business_calendars')
    .values({
      id: 'default',
      name: 'Office hours (Mon–Fri 08:00–18:00 UTC)',
      time_zone: 'UTC',
      working_days: '[1,2,3,4,5]',
      hours: '{"start":"08:00","end":"18:00"}',
      holidays: '[]',
      twenty_four_seven: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('sla_policies')
    .values({
      id: 'default',
      name: 'Standard',
      respond_hours: 4,
      respond_calendar: 'business',
      on_site_hours: 24,
      on_site_calendar: 'calendar',
      resolve_working_days: 5,
      warn_before_pct: 20,
      calendar_id: 'default',
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function down(db: AnyDB): Promise<void> {
  await db.schema.dropTable('customer_sla').execute();
  await db.schema.dropTable('sla_policies').execute();
  await db.schema.dropTable('business_calendars').execute();
}
