/**
 * The fleet at a glance (`GET /api/fleet`): one row per site the caller may see, with its
 * worst state, agents online/offline, devices by health, open alarms by severity, open
 * tickets and those past an SLA deadline. Five grouped queries, whatever the number of
 * sites, so the overview stays fast at a thousand sites.
 */
import { Type, type Static } from 'typebox';
import { customerScope } from '../auth/principal.js';
import { OPEN_STATES } from '../tickets/types.js';
import { Id, Name, withErrors } from './schemas.js';
import { principalOf, type RouteModule } from './types.js';

export const WORST = ['fault', 'offline', 'warn', 'ok', 'none'] as const;
export type Worst = (typeof WORST)[number];

const FleetSite = Type.Object({
  siteId: Id,
  name: Name,
  customerId: Id,
  customerName: Type.String(),
  worst: Type.Enum([...WORST], { description: 'fault (a faulty device or a fault/critical alarm) > offline (an agent offline) > warn > ok; none = no agents yet' }),
  agentsOnline: Type.Integer(),
  agentsOffline: Type.Integer(),
  devices: Type.Integer(),
  devicesFault: Type.Integer({ description: 'devices whose state is fault, missing or critical' }),
  devicesWarn: Type.Integer({ description: 'devices whose state is warn, risk, unknown or held' }),
  openAlarms: Type.Integer(),
  alarmsBySeverity: Type.Object({ info: Type.Integer(), risk: Type.Integer(), fault: Type.Integer(), critical: Type.Integer() }),
  openTickets: Type.Integer(),
  slaBreaches: Type.Integer({ description: 'open tickets past a respond, on-site or resolve deadline' }),
});
type FleetSiteView = Static<typeof FleetSite>;
const Fleet = Type.Object({ at: Type.Integer(), items: Type.Array(FleetSite) });

const FAULT_STATES = new Set(['fault', 'missing', 'critical', 'error']);
const WARN_STATES = new Set(['warn', 'risk', 'unknown', 'held']);

interface SiteRow { id: string; name: string; customer_id: string; customer_name: string }
interface CountRow { site_id: string; key: string | null; n: number }

export const fleetRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.sqlite;
  const scoped = (sql: string) => ({
    all: db.prepare<[], CountRow>(sql.replace('/*scope*/', '')),
    one: db.prepare<[string], CountRow>(sql.replace('/*scope*/', 'and s.customer_id = ?')),
  });
  const sites = {
    all: db.prepare<[], SiteRow>('select s.id, s.name, s.customer_id, c.name as customer_name from sites s join customers c on c.id = s.customer_id order by s.name'),
    one: db.prepare<[string], SiteRow>('select s.id, s.name, s.customer_id, c.name as customer_name from sites s join customers c on c.id = s.customer_id where s.customer_id = ? order by s.name'),
  };
  const agents = scoped(
    `select a.site_id, case when a.online = 1 then 'online' else 'offline' end as key, count(*) as n
     from agents a join sites s on s.id = a.site_id where a.revoked_at is null /*scope*/ group by a.site_id, key`,
  );
  const devices = scoped(
    `select a.site_id, d.state as key, count(*) as n from devices d join agents a on a.id = d.agent_id join sites s on s.id = a.site_id
     where d.present = 1 and a.revoked_at is null /*scope*/ group by a.site_id, d.state`,
  );
  const alarms = scoped(
    `select a.site_id, a.severity as key, count(*) as n from alarms a join sites s on s.id = a.site_id
     where a.state in ('active', 'acknowledged') /*scope*/ group by a.site_id, a.severity`,
  );
  const openStates = OPEN_STATES.map((st) => `'${st}'`).join(', ');
  const tickets = scoped(
    `select t.site_id, 'n' as key, count(*) as n from tickets t join sites s on s.id = t.site_id
     where t.state in (${openStates}) /*scope*/ group by t.site_id`,
  );
  const breachSql = `select t.site_id, 'n' as key, count(*) as n from tickets t join sites s on s.id = t.site_id
     where t.state in (${openStates}) and ((t.respond_by < :now and t.responded_at is null) or (t.on_site_by < :now and t.on_site_at is null) or (t.resolve_by < :now and t.resolved_at is null))`;
  const breaches = {
    all: db.prepare<[{ now: number }], CountRow>(`${breachSql} group by t.site_id`),
    one: db.prepare<[{ now: number; customer: string }], CountRow>(`${breachSql} and s.customer_id = :customer group by t.site_id`),
  };

  app.get(
    '/api/fleet',
    { config: { access: 'read' }, schema: { tags: ['fleet'], summary: 'Every site the caller may see with its worst state and counts (the fleet overview)', response: withErrors({ 200: Fleet }) } },
    async (req) => {
      const scope = customerScope(principalOf(req));
      const now = ctx.now();
      const run = (q: { all: { all(): CountRow[] }; one: { all(c: string): CountRow[] } }): CountRow[] => (scope === null ? q.all.all() : q.one.all(scope));
      const rows = new Map<string, FleetSiteView>();
      for (const s of scope === null ? sites.all.all() : sites.one.all(scope)) {
        rows.set(s.id, {
          siteId: s.id, name: s.name, customerId: s.customer_id, customerName: s.customer_name, worst: 'none',
          agentsOnline: 0, agentsOffline: 0, devices: 0, devicesFault: 0, devicesWarn: 0,
          openAlarms: 0, alarmsBySeverity: { info: 0, risk: 0, fault: 0, critical: 0 }, openTickets: 0, slaBreaches: 0,
        });
      }
      for (const r of run(agents)) {
        const v = rows.get(r.site_id);
        if (v === undefined) continue;
        if (r.key === 'online') v.agentsOnline += r.n;
        else v.agentsOffline += r.n;
      }
      for (const r of run(devices)) {
        const v = rows.get(r.site_id);
        if (v === undefined) continue;
        v.devices += r.n;
        if (r.key !== null && FAULT_STATES.has(r.key)) v.devicesFault += r.n;
        else if (r.key !== null && WARN_STATES.has(r.key)) v.devicesWarn += r.n;
      }
      for (const r of run(alarms)) {
        const v = rows.get(r.site_id);
        if (v === undefined || r.key === null || !(r.key in v.alarmsBySeverity)) continue;
        v.alarmsBySeverity[r.key as keyof FleetSiteView['alarmsBySeverity']] += r.n;
        v.openAlarms += r.n;
      }
      for (const r of run(tickets)) {
        const v = rows.get(r.site_id);
        if (v !== undefined) v.openTickets += r.n;
      }
      for (const r of scope === null ? breaches.all.all({ now }) : breaches.one.all({ now, customer: scope })) {
        const v = rows.get(r.site_id);
        if (v !== undefined) v.slaBreaches += r.n;
      }
      for (const v of rows.values()) v.worst = worstOf(v);
      return { at: now, items: [...rows.values()] };
    },
  );
};

export function worstOf(v: Pick<FleetSiteView, 'agentsOnline' | 'agentsOffline' | 'devicesFault' | 'devicesWarn' | 'alarmsBySeverity'>): Worst {
  if (v.devicesFault > 0 || v.alarmsBySeverity.fault > 0 || v.alarmsBySeverity.critical > 0) return 'fault';
  if (v.agentsOffline > 0) return 'offline';
  if (v.devicesWarn > 0 || v.alarmsBySeverity.risk > 0) return 'warn';
  return v.agentsOnline > 0 ? 'ok' : 'none';
}
