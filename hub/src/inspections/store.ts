/**
 * Settings, templates, supported versions and baselines of inspections in the state
 * database, with the defaults a site gets before anyone edits them.
 */
import type { ControllerSnapshot, InspectParams } from '@ledwatch/protocols';
import type { StateDb } from '../db/index.js';
import { DEFAULT_CRON } from './cron.js';
import { BUILTIN_TEMPLATES, BUILTIN_VERSIONS, DEFAULT_ALLOWED_PORTS, DEFAULT_SEASONAL, type TemplateDef } from './defaults.js';
import type { SupportedVersion } from './checks/types.js';
import './tables.js';

export interface SiteSettings {
  siteId: string;
  enabled: boolean;
  cron: string;
  templateId: string;
  seasonal: string[];
  network: NonNullable<InspectParams['network']>;
  allowedPorts: number[];
  logDirs: string[];
  mail: boolean;
  lastDueAt: number | null;
}

export function defaultSettings(siteId: string): SiteSettings {
  return { siteId, enabled: true, cron: DEFAULT_CRON, templateId: 'monthly', seasonal: [...DEFAULT_SEASONAL], network: {}, allowedPorts: [...DEFAULT_ALLOWED_PORTS], logDirs: [], mail: true, lastDueAt: null };
}

export class InspectionStore {
  constructor(private readonly state: StateDb, private readonly now: () => number) {}

  /** Seeds the built-in templates and versions (once; edits survive restarts). */
  async seed(): Promise<void> {
    const { db } = this.state;
    const now = this.now();
    for (const t of BUILTIN_TEMPLATES) {
      await db
        .insertInto('inspection_templates')
        .values({ id: t.id, name: t.name, kind: t.kind, months: t.months === null ? null : JSON.stringify(t.months), checks: JSON.stringify(t.checks), thresholds: JSON.stringify(t.thresholds), builtin: 1, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    const any = await db.selectFrom('supported_versions').select('id').limit(1).executeTakeFirst();
    if (any === undefined) {
      for (const v of BUILTIN_VERSIONS) {
        await db.insertInto('supported_versions').values({ kind: v.kind, model: v.model, min_version: v.minVersion, max_version: v.maxVersion, note: v.note, builtin: 1, created_at: now }).execute();
      }
    }
  }

  async settings(siteId: string): Promise<SiteSettings> {
    const row = await this.state.db.selectFrom('inspection_settings').selectAll().where('site_id', '=', siteId).executeTakeFirst();
    if (row === undefined) return defaultSettings(siteId);
    return {
      siteId,
      enabled: row.enabled === 1,
      cron: row.cron,
      templateId: row.template_id,
      seasonal: JSON.parse(row.seasonal) as string[],
      network: JSON.parse(row.network) as SiteSettings['network'],
      allowedPorts: JSON.parse(row.allowed_ports) as number[],
      logDirs: JSON.parse(row.log_dirs) as string[],
      mail: row.mail === 1,
      lastDueAt: row.last_due_at,
    };
  }

  async saveSettings(s: SiteSettings): Promise<SiteSettings> {
    const values = {
      enabled: s.enabled ? 1 : 0,
      cron: s.cron,
      template_id: s.templateId,
      seasonal: JSON.stringify(s.seasonal),
      network: JSON.stringify(s.network),
      allowed_ports: JSON.stringify(s.allowedPorts),
      log_dirs: JSON.stringify(s.logDirs),
      mail: s.mail ? 1 : 0,
      last_due_at: s.lastDueAt,
      updated_at: this.now(),
    };
    await this.state.db
      .insertInto('inspection_settings')
      .values({ site_id: s.siteId, ...values })
      .onConflict((oc) => oc.column('site_id').doUpdateSet(values))
      .execute();
    return this.settings(s.siteId);
  }

  async setLastDue(siteId: string, at: number): Promise<void> {
    const s = await this.settings(siteId);
    await this.saveSettings({ ...s, lastDueAt: at });
  }

  async templates(): Promise<TemplateDef[]> {
    const rows = await this.state.db.selectFrom('inspection_templates').selectAll().orderBy('kind').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, months: r.months === null ? null : (JSON.parse(r.months) as number[]), checks: JSON.parse(r.checks) as string[], thresholds: JSON.parse(r.thresholds) as Record<string, number> }));
  }

  async saveTemplate(t: TemplateDef): Promise<void> {
    const now = this.now();
    const values = { name: t.name, kind: t.kind, months: t.months === null ? null : JSON.stringify(t.months), checks: JSON.stringify(t.checks), thresholds: JSON.stringify(t.thresholds), updated_at: now };
    await this.state.db.insertInto('inspection_templates').values({ id: t.id, ...values, builtin: 0, created_at: now }).onConflict((oc) => oc.column('id').doUpdateSet(values)).execute();
  }

  async matrix(): Promise<SupportedVersion[]> {
    const rows = await this.state.db.selectFrom('supported_versions').selectAll().orderBy('kind').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, kind: r.kind, model: r.model, minVersion: r.min_version, maxVersion: r.max_version, note: r.note, builtin: r.builtin === 1 }));
  }

  async addVersion(v: Omit<SupportedVersion, 'id' | 'builtin'>): Promise<SupportedVersion> {
    const row = await this.state.db
      .insertInto('supported_versions')
      .values({ kind: v.kind, model: v.model, min_version: v.minVersion, max_version: v.maxVersion, note: v.note, builtin: 0, created_at: this.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...v, id: row.id, builtin: false };
  }

  async deleteVersion(id: number): Promise<boolean> {
    const r = await this.state.db.deleteFrom('supported_versions').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async baselines(agentId: string): Promise<Map<string, ControllerSnapshot>> {
    const rows = await this.state.db.selectFrom('config_baselines').select(['device_id', 'snapshot']).where('agent_id', '=', agentId).execute();
    return new Map(rows.map((r) => [r.device_id, JSON.parse(r.snapshot) as ControllerSnapshot]));
  }

  async approveBaseline(agentId: string, snapshots: readonly ControllerSnapshot[], inspectionId: string, by: string | null): Promise<void> {
    const now = this.now();
    for (const s of snapshots) {
      const values = { snapshot: JSON.stringify(s), inspection_id: inspectionId, approved_at: now, approved_by: by };
      await this.state.db.insertInto('config_baselines').values({ agent_id: agentId, device_id: s.device, ...values }).onConflict((oc) => oc.columns(['agent_id', 'device_id']).doUpdateSet(values)).execute();
    }
  }
}
