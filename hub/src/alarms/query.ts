/**
 * Reading alarms for the API: newest first, filtered, paged with an id cursor (`before`).
 * Open alarms come from the service's memory, whose last seen and last value may be newer
 * than the row's (those are written at most every persistEveryS).
 */
import type { HubContext } from '../context.js';
import { fromRow } from './records.js';
import type { Severity } from './rule-schema.js';
import type { AlarmState, AlarmView } from './types.js';
import { keysetPage, type Page } from '../db/paging.js';

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

export type AlarmPage = Page<AlarmView>;

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
  return keysetPage(await q.execute(), f.limit, (r) => ctx.alarms.openView(r.id) ?? fromRow(r));
}
