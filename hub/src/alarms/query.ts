/**
 * Reading alarms for the API: newest first, filtered, paged with an id cursor (`before`).
 * Open alarms come from the service's memory, whose last seen and last value may be newer
 * than the row's (those are written at most every persistEveryS).
 */
import type { HubContext } from '../context.js';
import { fromRow } from './records.js';
import type { Severity } from './rule-schema.js';
import type { AlarmState, AlarmView } from './types.js';

export interface AlarmFilter {
  id?: number;
  state?: AlarmState | 'open';
  severities?: readonly Severity[];
  customerId?: string;
  siteId?: string;
  agentId?: string;
  deviceId?: string;
  type?: string;
  before?: number;
  limit: number;
}

export interface AlarmPage {
  items: AlarmView[];
  /** Pass as `before` for the next page; null on the last page. */
  next: number | null;
}

export async function listAlarms(ctx: HubContext, f: AlarmFilter): Promise<AlarmPage> {
  let q = ctx.state.db.selectFrom('alarms').selectAll().orderBy('id', 'desc').limit(f.limit + 1);
  if (f.id !== undefined) q = q.where('id', '=', f.id);
  if (f.state === 'open') q = q.where('state', '!=', 'cleared');
  else if (f.state !== undefined) q = q.where('state', '=', f.state);
  if (f.severities !== undefined) q = q.where('severity', 'in', [...f.severities]);
  if (f.customerId !== undefined) q = q.where('customer_id', '=', f.customerId);
  if (f.siteId !== undefined) q = q.where('site_id', '=', f.siteId);
  if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
  if (f.deviceId !== undefined) q = q.where('device_id', '=', f.deviceId);
  if (f.type !== undefined) q = q.where('type', '=', f.type);
  if (f.before !== undefined) q = q.where('id', '<', f.before);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit).map((r) => ctx.alarms.openView(r.id) ?? fromRow(r));
  return { items: page, next: rows.length > f.limit ? (page[page.length - 1]?.id ?? null) : null };
}
