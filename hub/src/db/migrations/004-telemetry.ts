import { type Kysely, sql } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDB = Kysely<any>;

/**
 * The embedded telemetry store (used when no InfluxDB is configured): one series per
 * (agent, device, component, metric), raw values keyed by (series, reading time) so a
 * replayed batch overwrites itself, 1-minute and 1-hour rollups, and the series whose
 * rollups are stale. SQLite-specific (WITHOUT ROWID, an untyped value column keeping
 * REAL numbers, INTEGER booleans and TEXT strings apart); see hub/src/telemetry/README.md.
 */
export async function up(db: AnyDB): Promise<void> {
  await sql`CREATE TABLE telemetry_series (
    id INTEGER PRIMARY KEY,
    agent_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    component TEXT NOT NULL,
    metric TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    site_id TEXT NOT NULL,
    UNIQUE (agent_id, device_id, component, metric)
  )`.execute(db);
  await sql`CREATE TABLE telemetry_raw (
    series_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    value,
    PRIMARY KEY (series_id, at)
  ) WITHOUT ROWID`.execute(db);
  for (const table of ['telemetry_1m', 'telemetry_1h']) {
    await sql`CREATE TABLE ${sql.table(table)} (
      series_id INTEGER NOT NULL,
      bucket INTEGER NOT NULL,
      values_count INTEGER NOT NULL,
      num_count INTEGER NOT NULL,
      num_sum REAL,
      num_min REAL,
      num_max REAL,
      last_value,
      last_at INTEGER NOT NULL,
      PRIMARY KEY (series_id, bucket)
    ) WITHOUT ROWID`.execute(db);
  }
  await sql`CREATE TABLE telemetry_dirty (
    series_id INTEGER PRIMARY KEY,
    from_at INTEGER NOT NULL
  )`.execute(db);
}

export async function down(db: AnyDB): Promise<void> {
  for (const t of ['telemetry_dirty', 'telemetry_1h', 'telemetry_1m', 'telemetry_raw', 'telemetry_series']) {
    await db.schema.dropTable(t).execute();
  }
}
