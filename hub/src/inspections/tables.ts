/**
 * Table types of migration 010, merged into the hub's DB interface (module augmentation
 * keeps db/schema.ts untouched).
 */
import type { Generated } from 'kysely';

export type InspectionState = 'collecting' | 'checking' | 'done' | 'failed';
export type InspectionTrigger = 'schedule' | 'manual' | 'missed' | 'demo';

export interface InspectionTemplatesTable {
  id: string;
  name: string;
  kind: 'base' | 'seasonal';
  /** JSON array of months 1..12 (seasonal); null = every month. */
  months: string | null;
  /** JSON array of check ids. */
  checks: string;
  /** JSON record of threshold overrides. */
  thresholds: string;
  builtin: number;
  created_at: number;
  updated_at: number;
}

export interface InspectionSettingsTable {
  site_id: string;
  enabled: number;
  cron: string;
  template_id: string;
  /** JSON array of seasonal template ids. */
  seasonal: string;
  /** JSON InspectParams['network'] (gateway, dns, ntp): the only targets the agent probes. */
  network: string;
  /** JSON array of TCP ports allowed to listen. */
  allowed_ports: string;
  /** JSON array of log folders. */
  log_dirs: string;
  mail: number;
  last_due_at: number | null;
  updated_at: number;
}

export interface InspectionsTable {
  id: string;
  site_id: string;
  customer_id: string;
  agent_id: string | null;
  trigger: InspectionTrigger;
  state: InspectionState;
  period_start: number;
  period_end: number;
  command_id: string | null;
  agent_online: number;
  facts: string | null;
  results: string | null;
  summary: string | null;
  error: string | null;
  created_by: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface ConfigBaselinesTable {
  agent_id: string;
  device_id: string;
  snapshot: string;
  inspection_id: string | null;
  approved_at: number;
  approved_by: string | null;
}

export interface SupportedVersionsTable {
  id: Generated<number>;
  kind: 'controller' | 'agent' | 'os' | 'node';
  model: string;
  min_version: string | null;
  max_version: string | null;
  note: string | null;
  builtin: number;
  created_at: number;
}

export interface ReportsTable {
  id: string;
  inspection_id: string;
  site_id: string;
  customer_id: string;
  language: string;
  title: string;
  html: string;
  pdf: Buffer;
  pdf_ms: number | null;
  created_at: number;
  mailed_at: number | null;
  mailed_to: string | null;
  mail_error: string | null;
  sends: number;
}

declare module '../db/schema.js' {
  interface DB {
    inspection_templates: InspectionTemplatesTable;
    inspection_settings: InspectionSettingsTable;
    inspections: InspectionsTable;
    config_baselines: ConfigBaselinesTable;
    supported_versions: SupportedVersionsTable;
    reports: ReportsTable;
  }
}
