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
  /** End of the warranty, ms since epoch (migration 008); null = unknown. */
  warranty_end: ColumnType<number | null, number | null | undefined, number | null>;
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

export type NotifySeverity = 'info' | 'risk' | 'fault' | 'critical';
export type NotifyChannel = 'email' | 'webhook';
export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'suppressed' | 'retrying';

/** A webhook endpoint. `secret` is the shared HMAC key, kept as given (it is needed to sign). */
export interface NotifyWebhooksTable {
  id: string;
  name: string;
  url: string;
  secret: string;
  enabled: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

/** Who is told about what: exactly one of contact_id, user_id, role, webhook_id is set. */
export interface NotifySubscriptionsTable {
  id: string;
  contact_id: string | null;
  user_id: string | null;
  role: 'engineer' | 'admin' | null;
  webhook_id: string | null;
  channel: NotifyChannel;
  min_severity: NotifySeverity;
  /** Scope: null = every customer / site. */
  customer_id: string | null;
  site_id: string | null;
  /** JSON array of event globs, e.g. ["alarm.*"]. */
  events: string;
  escalation_level: ColumnType<number, number | undefined, number>;
  enabled: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

/** One notification to one target, with its outcome. */
export interface NotificationsTable {
  id: Generated<number>;
  key: string;
  event: string;
  severity: NotifySeverity;
  /** 0 = immediate, N = escalation step N. */
  level: number;
  channel: NotifyChannel;
  /** `email:<address>` or `webhook:<id>` (what dedupe and rate limits count by). */
  target: string;
  subscription_id: string | null;
  customer_id: string | null;
  site_id: string | null;
  subject: string;
  /** JSON: { text, html?, data } as sent. */
  payload: string;
  status: NotificationStatus;
  attempts: ColumnType<number, number | undefined, number>;
  error: string | null;
  created_at: number;
  sent_at: number | null;
  next_attempt_at: number | null;
}

export type EscalationStatus = 'pending' | 'sent' | 'acked' | 'cancelled';

/** An escalation step still due (or done): the stored request is re-sent at `level` if not acknowledged. */
export interface NotifyEscalationsTable {
  id: Generated<number>;
  key: string;
  level: number;
  due_at: number;
  /** JSON of the notify request (without its ackedCheck). */
  request: string;
  status: EscalationStatus;
  created_at: number;
  updated_at: number;
}

/** A business calendar; JSON columns: working_days `[1..7]`, hours `{start,end,weekdayHours?}`, holidays `["YYYY-MM-DD"]`. */
export interface BusinessCalendarsTable {
  id: string;
  name: string;
  time_zone: string;
  working_days: string;
  hours: string;
  holidays: string;
  twenty_four_seven: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

/** An SLA policy: respond / on-site clocks in hours ('business' or 'calendar' time), resolve in working days. */
export interface SlaPoliciesTable {
  id: string;
  name: string;
  respond_hours: number;
  respond_calendar: 'business' | 'calendar';
  on_site_hours: number;
  on_site_calendar: 'business' | 'calendar';
  resolve_working_days: number;
  warn_before_pct: number;
  calendar_id: string;
  created_at: number;
  updated_at: number;
}

/** The SLA policy of a customer's contract (none → the `default` policy). */
export interface CustomerSlaTable {
  customer_id: string;
  policy_id: string;
  updated_at: number;
}

/** Recurring-problem thresholds of a customer; null = the hub-wide `tickets.recurring` value. */
export interface CustomerRecurringTable {
  customer_id: string;
  month: number | null;
  quarter: number | null;
  year: number | null;
  updated_at: number;
  updated_by: string | null;
}

/** A custom alarm rule (the shipped defaults live in code: alarms/defaults.ts). JSON: match, condition. */
export interface AlarmRulesTable {
  id: string;
  name: string;
  type: string;
  severity: 'info' | 'risk' | 'fault' | 'critical';
  match: string;
  condition: string;
  enabled: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

/** A change to one rule for a scope; null fields keep the value below. `value` is JSON. */
export interface AlarmRuleOverridesTable {
  rule_id: string;
  scope: 'global' | 'customer' | 'site' | 'device';
  /** '' for global; a customer id, site id, or a device's numeric id as text. */
  scope_id: string;
  enabled: number | null;
  severity: 'info' | 'risk' | 'fault' | 'critical' | null;
  value: string | null;
  clear_value: number | null;
  for_s: number | null;
  after_s: number | null;
  updated_at: number;
  updated_by: string | null;
}

/** An alarm; at most one not cleared per (agent_id, device_id, component, type). */
export interface AlarmsTable {
  id: Generated<number>;
  agent_id: string;
  /** '' for the agent itself. */
  device_id: string;
  component: string;
  type: string;
  severity: 'info' | 'risk' | 'fault' | 'critical';
  state: 'active' | 'acknowledged' | 'cleared';
  rule_id: string | null;
  site_id: string;
  customer_id: string;
  first_seen: number;
  last_seen: number;
  count: number;
  /** JSON of the last observed value. */
  last_value: string | null;
  message: string | null;
  acked_by: string | null;
  acked_at: number | null;
  cleared_at: number | null;
  clear_reason: string | null;
  flapping: number;
  suppressed: number;
}

/** Alarms raised on the site inside [starts_at, ends_at) are recorded but not announced. */
export interface MaintenanceWindowsTable {
  id: Generated<number>;
  site_id: string;
  starts_at: number;
  ends_at: number;
  reason: string | null;
  created_by: string | null;
  created_at: number;
}

export interface DB {
  alarm_rules: AlarmRulesTable;
  alarm_rule_overrides: AlarmRuleOverridesTable;
  alarms: AlarmsTable;
  maintenance_windows: MaintenanceWindowsTable;
  business_calendars: BusinessCalendarsTable;
  sla_policies: SlaPoliciesTable;
  customer_sla: CustomerSlaTable;
  customer_recurring: CustomerRecurringTable;
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
  notify_webhooks: NotifyWebhooksTable;
  notify_subscriptions: NotifySubscriptionsTable;
  notifications: NotificationsTable;
  notify_escalations: NotifyEscalationsTable;
  tickets: TicketsTable;
  ticket_alarms: TicketAlarmsTable;
  ticket_events: TicketEventsTable;
  ticket_attachments: TicketAttachmentsTable;
  release_keys: ReleaseKeysTable;
  releases: ReleasesTable;
  agent_tags: AgentTagsTable;
  rollouts: RolloutsTable;
  rollout_targets: RolloutTargetsTable;
}

export type TicketState = 'new' | 'assigned' | 'scheduled' | 'on-site' | 'resolved' | 'confirmed' | 'closed' | 'follow-up';
export type TicketEventKind = 'created' | 'transition' | 'assigned' | 'comment' | 'attachment' | 'alarm-linked' | 'fault-cleared' | 'sla-warning' | 'sla-breach' | 'recurring' | 'escalated';

/** A fault ticket (migration 008; see tickets/README.md). */
export interface TicketsTable {
  id: Generated<number>;
  /** 'T-000123'. */
  number: string;
  customer_id: string;
  site_id: string;
  agent_id: string | null;
  /** Device id as the agent names it ('' for the agent itself); null for a manual ticket without a device. */
  device_id: string | null;
  device_pk: number | null;
  component: string | null;
  fault_type: string;
  title: string;
  description: string;
  severity: 'info' | 'risk' | 'fault' | 'critical';
  source: 'alarm' | 'manual';
  channel: 'phone' | 'web' | null;
  state: TicketState;
  assignee_user_id: string | null;
  appointment_at: number | null;
  responded_at: number | null;
  on_site_at: number | null;
  resolved_at: number | null;
  confirmed_at: number | null;
  closed_at: number | null;
  fault_cleared_at: number | null;
  cause: string | null;
  treatment: string | null;
  parts: string | null;
  problem_type: string | null;
  location: string | null;
  solution: string | null;
  warranty: 'in' | 'out' | 'unknown';
  warranty_end: number | null;
  recurring: number;
  recurring_count: number | null;
  escalated: number;
  sla_policy_id: string | null;
  /** JSON {policy, calendar} as they were when the ticket opened. */
  sla_snapshot: string | null;
  respond_by: number | null;
  on_site_by: number | null;
  resolve_by: number | null;
  /** JSON array of SlaEventKey already emitted. */
  sla_emitted: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface TicketAlarmsTable {
  ticket_id: number;
  alarm_id: number;
  raised_at: number;
  cleared_at: number | null;
}

export interface TicketEventsTable {
  id: Generated<number>;
  ticket_id: number;
  at: number;
  actor_user_id: string | null;
  kind: TicketEventKind;
  from_state: string | null;
  to_state: string | null;
  /** JSON. */
  body: string | null;
}

export interface TicketAttachmentsTable {
  id: Generated<number>;
  ticket_id: number;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  data: Buffer;
  created_at: number;
  created_by: string | null;
}

export type TicketRow = Selectable<TicketsTable>;
export type TicketEventRow = Selectable<TicketEventsTable>;

export type Customer = Selectable<CustomersTable>;
export type Site = Selectable<SitesTable>;
export type Contact = Selectable<ContactsTable>;
export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type AgentUpdate = Updateable<AgentsTable>;
export type Device = Selectable<DevicesTable>;
export type User = Selectable<UsersTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type NotifyWebhook = Selectable<NotifyWebhooksTable>;
export type NotifySubscription = Selectable<NotifySubscriptionsTable>;
export type Notification = Selectable<NotificationsTable>;
export type NotifyEscalation = Selectable<NotifyEscalationsTable>;
export type BusinessCalendarRow = Selectable<BusinessCalendarsTable>;
export type SlaPolicyRow = Selectable<SlaPoliciesTable>;
export type AlarmRow = Selectable<AlarmsTable>;
export type MaintenanceWindowRow = Selectable<MaintenanceWindowsTable>;

/** Release public keys handed to agents (migration 011); the private part never reaches the hub. */
export interface ReleaseKeysTable {
  key_id: string;
  public_key: string;
  /** JSON KeyAnnouncement signed by the previous key (rotation), or null for a first key. */
  announcement: string | null;
  /** When agents stop accepting it (set when a successor is announced). */
  valid_until: number | null;
  created_at: number;
}

export type ReleaseKindColumn = 'agent' | 'site-package';

/** An uploaded release: signed manifest + artifact file under the data dir. */
export interface ReleasesTable {
  id: string;
  kind: ReleaseKindColumn;
  name: string;
  version: string;
  /** JSON SignedManifest exactly as uploaded. */
  signed: string;
  sha256: string;
  size: number;
  /** Artifact path relative to the data dir. */
  file: string;
  yanked_at: number | null;
  yank_reason: string | null;
  created_at: number;
  created_by: string | null;
}

export interface AgentTagsTable {
  agent_id: string;
  tag: string;
}

export type RolloutState = 'running' | 'paused' | 'completed' | 'aborted' | 'cancelled';
export type RolloutTargetState = 'pending' | 'skipped' | 'waiting-window' | 'sent' | 'succeeded' | 'failed' | 'cancelled';

export interface RolloutsTable {
  id: string;
  release_id: string;
  state: RolloutState;
  /** JSON RolloutSpec (targets, waves, thresholds, window). */
  spec: string;
  current_wave: number;
  reason: string | null;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

export interface RolloutTargetsTable {
  rollout_id: string;
  agent_id: string;
  wave: number;
  state: RolloutTargetState;
  /** Last upgrade stage the agent reported (queued, downloading, …, healthy, rolled-back). */
  stage: string | null;
  command_id: string | null;
  /** Why it was skipped, or the agent's error message. */
  reason: string | null;
  error_code: string | null;
  from_version: string | null;
  updated_at: number;
}
