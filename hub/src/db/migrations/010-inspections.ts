import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * Monthly inspections (see inspections/README.md): per-site settings (schedule, template,
 * seasonal templates, the network targets the agent may probe, the port allow-list),
 * inspection templates, the runs with the agent's facts and the check results, the
 * approved configuration baseline per controller, the supported-versions matrix, and the
 * rendered reports (HTML and PDF) with their mailing state.
 *
 * Built-in templates and the default supported-versions rows are seeded by the service at
 * start (so a newer hub can ship newer defaults), not here.
 */
export async function up(db: AnyDB): Promise<void> {
  await db.schema
    .createTable('inspection_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('months', 'text')
    .addColumn('checks', 'text', (c) => c.notNull())
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('inspection_settings')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('seasonal', 'text', (c) => c.notNull())
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('allowed_ports', 'text', (c) => c.notNull())
    .addColumn('log_dirs', 'text', (c) => c.notNull())
    .addColumn('mail', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_due_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('inspections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('agent_id', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('period_end', 'bigint', (c) => c.notNull())
    .addColumn('command_id', 'text')
    .addColumn('agent_online', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('facts', 'text')
    .addColumn('results', 'text')
    .addColumn('summary', 'text')
    .addColumn('error', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('inspections_site').on('inspections').columns(['site_id', 'created_at']).execute();

  await db.schema
    .createTable('config_baselines')
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('inspection_id', 'text')
    .addColumn('approved_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addPrimaryKeyConstraint('config_baselines_pk', ['agent_id', 'device_id'])
    .execute();

  await db.schema
    .createTable('supported_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('min_version', 'text')
    .addColumn('max_version', 'text')
    .addColumn('note', 'text')
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('inspection_id', 'text', (c) => c.notNull().references('inspections.id').onDelete('cascade'))
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('pdf', 'blob', (c) => c.notNull())
    .addColumn('pdf_ms', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('mailed_at', 'bigint')
    .addColumn('mailed_to', 'text')
    .addColumn('mail_error', 'text')
    .addColumn('sends', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('reports_customer').on('reports').columns(['customer_id', 'created_at']).execute();
}

export async function down(db: AnyDB): Promise<void> {
  for (const t of ['reports', 'supported_versions', 'config_baselines', 'inspections', 'inspection_settings', 'inspection_templates']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
