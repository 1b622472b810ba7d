/**
 * Kysely table types of the hub's state database. Times are integer milliseconds since
 * the Unix epoch; JSON columns hold text. SQLite is the embedded default; the types keep
 * PostgreSQL one dialect away.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface CustomersTable {
  id: string;
  name: string;
  language: string;
  created_at: number;
  updated_at: number;
}

export interface SitesTable {
  id: string;
  customer_id: string;
  name: string;
  timezone: string;
  address: string | null;
  created_at: number;
  updated_at: number;
}

export interface ContactsTable {
  id: string;
  customer_id: string;
  site_id: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  role: string | null;
  created_at: number;
}

export interface AgentsTable {
  id: string;
  name: string;
  site_id: string;
  secret_hash: string;
  version: string | null;
  online: ColumnType<number, number | undefined, number>;
  last_seen: number | null;
  session_id: string | null;
  started_at: number | null;
  hostname: string | null;
  platform: string | null;
  /** Highest telemetry/events seq durably stored (what the hub acks). */
  last_seq: number | null;
  revoked_at: number | null;
  created_at: number;
  /** Remote configuration version the agent last reported applying. */
  config_version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface DevicesTable {
  id: Generated<number>;
  agent_id: string;
  device_id: string;
  kind: string;
  name: string | null;
  parent: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  capabilities: string;
  state: string | null;
  present: ColumnType<number, number | undefined, number>;
  last_reading_at: number | null;
  first_seen: number;
  updated_at: number;
}

export interface LatestReadingsTable {
  device_pk: number;
  /** '' for the device itself. */
  component: string;
  at: number;
  metrics: string;
  state: string | null;
}

export type Role = 'admin' | 'engineer' | 'customer';

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  role: Role;
  customer_id: string | null;
  disabled: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** 'api' = long-lived bearer token, 'session' = login session. */
  kind: 'api' | 'session';
  token_hash: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string | null;
  ip: string | null;
}

export interface AgentEventsTable {
  id: Generated<number>;
  agent_id: string;
  seq: number;
  idx: number;
  at: number;
  received_at: number;
  type: string;
  action: string;
  device_id: string | null;
  component: string | null;
  severity: string | null;
  message: string | null;
  data: string | null;
}

export type CommandState = 'queued' | 'sent' | 'accepted' | 'running' | 'succeeded' | 'failed' | 'rejected' | 'expired';

export interface CommandsTable {
  id: string;
  agent_id: string;
  type: string;
  params: string | null;
  state: CommandState;
  issued_at: number;
  sent_at: number | null;
  updated_at: number;
  expires_at: number | null;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  created_by: string | null;
}

export type AgentConfigStatus = 'pending' | 'applied' | 'rejected' | 'superseded';

export interface AgentConfigsTable {
  agent_id: string;
  version: number;
  config: string;
  status: AgentConfigStatus;
  command_id: string | null;
  errors: string | null;
  created_at: number;
  created_by: string | null;
  applied_at: number | null;
}

/** One telemetry series of the embedded store: a metric of a device (component). */
export interface TelemetrySeriesTable {
  id: Generated<number>;
  agent_id: string;
  device_id: string;
  /** '' for the device itself. */
  component: string;
  /** A metric name, or `_state` for the device state. */
  metric: string;
  customer_id: string;
  site_id: string;
}

/** Raw values: REAL for numbers, INTEGER 0/1 for booleans, TEXT for strings. */
export interface TelemetryRawTable {
  series_id: number;
  at: number;
  value: number | string | null;
}

/** A 1-minute or 1-hour rollup bucket (numeric aggregates over numbers only). */
export interface TelemetryRollupTable {
  series_id: number;
  bucket: number;
  values_count: number;
  num_count: number;
  num_sum: number | null;
  num_min: number | null;
  num_max: number | null;
  last_value: number | string | null;
  last_at: number;
}

/** Series whose rollups are stale from `from_at` on. */
export interface TelemetryDirtyTable {
  series_id: number;
  from_at: number;
}

export interface DB {
  telemetry_series: TelemetrySeriesTable;
  telemetry_raw: TelemetryRawTable;
  telemetry_1m: TelemetryRollupTable;
  telemetry_1h: TelemetryRollupTable;
  telemetry_dirty: TelemetryDirtyTable;
  commands: CommandsTable;
  agent_configs: AgentConfigsTable;
  agent_events: AgentEventsTable;
  customers: CustomersTable;
  sites: SitesTable;
  contacts: ContactsTable;
  agents: AgentsTable;
  devices: DevicesTable;
  latest_readings: LatestReadingsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
}

export type Customer = Selectable<CustomersTable>;
export type Site = Selectable<SitesTable>;
export type Contact = Selectable<ContactsTable>;
export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type AgentUpdate = Updateable<AgentsTable>;
export type Device = Selectable<DevicesTable>;
export type User = Selectable<UsersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
