/**
 * Gathers the month's data of a site for the hub-side checks and the report's charts:
 * downtime per device from availability alarms, alarm and ticket counts, SLA breaches,
 * recurring problems, metric peaks from the telemetry store, cards that went missing.
 */
import type { HubContext } from '../context.js';
import type { PeriodData } from './checks/types.js';

const DAY_MS = 86_400_000;
const DOWN_TYPES = ['agent-offline', 'controller-unreachable', 'device-unreachable', 'card-missing'];
const OPEN_STATES = ['new', 'assigned', 'scheduled', 'on-site'] as const;
/** Metrics whose peaks the checks read. */
export const PEAK_METRICS = ['temperatureC', 'voltageV', 'humidityPct', 'monitorHumidityPct', 'monitorTemperatureC', 'doorsOpen', 'doorOpen', 'water', 'waterLeak', 'waterIngress', 'relayOn', 'relaysOn', 'heaterOn', 'heating', 'ambientC'];
const MAX_DEVICES = 400;

export async function gatherPeriod(ctx: HubContext, siteId: string, from: number, to: number): Promise<PeriodData> {
  const { db } = ctx.state;
  const agents = await db.selectFrom('agents').select('id').where('site_id', '=', siteId).where('revoked_at', 'is', null).execute();
  const agentIds = agents.map((a) => a.id);
  const devices =
    agentIds.length === 0
      ? []
      : await db.selectFrom('devices').select(['id', 'agent_id', 'device_id', 'parent', 'kind']).where('agent_id', 'in', agentIds).limit(MAX_DEVICES).execute();
  const alarms = await db
    .selectFrom('alarms')
    .select(['agent_id', 'device_id', 'type', 'severity', 'first_seen', 'cleared_at'])
    .where('site_id', '=', siteId)
    .where('first_seen', '<', to)
    .where((eb) => eb.or([eb('cleared_at', 'is', null), eb('cleared_at', '>', from)]))
    .execute();

  const down = new Map<string, number>();
  for (const a of alarms.filter((x) => DOWN_TYPES.includes(x.type))) {
    const key = `${a.agent_id}|${a.device_id}`;
    down.set(key, (down.get(key) ?? 0) + Math.max(0, Math.min(a.cleared_at ?? to, to) - Math.max(a.first_seen, from)));
  }
  const uptime: PeriodData['uptime'] = [];
  for (const agentId of agentIds) uptime.push({ agentId, device: '', downMs: down.get(`${agentId}|`) ?? 0 });
  for (const d of devices.filter((x) => x.parent === null)) uptime.push({ agentId: d.agent_id, device: d.device_id, downMs: down.get(`${d.agent_id}|${d.device_id}`) ?? 0 });

  const inPeriod = alarms.filter((a) => a.first_seen >= from);
  const byType: Record<string, number> = {};
  for (const a of inPeriod) byType[a.type] = (byType[a.type] ?? 0) + 1;
  const missingCards = [...new Set(alarms.filter((a) => a.type === 'card-missing').map((a) => a.device_id))].sort();

  const tickets = await db.selectFrom('tickets').select(['id', 'title', 'state', 'created_at', 'closed_at', 'recurring', 'recurring_count']).where('site_id', '=', siteId).where('created_at', '<', to).execute();
  const opened = tickets.filter((t) => t.created_at >= from);
  const breachRows =
    tickets.length === 0
      ? []
      : await db.selectFrom('ticket_events').select('ticket_id').where('kind', '=', 'sla-breach').where('at', '>=', from).where('at', '<', to).where('ticket_id', 'in', tickets.map((t) => t.id)).execute();
  const recurring = opened.filter((t) => t.recurring === 1).map((t) => ({ title: t.title, count: t.recurring_count ?? 2 }));

  const peaks: PeriodData['peaks'] = [];
  const temperatureDaily = new Map<number, number>();
  const voltageDaily = new Map<number, number>();
  const latest =
    devices.length === 0 ? [] : await db.selectFrom('latest_readings').select(['device_pk', 'metrics']).where('component', '=', '').where('device_pk', 'in', devices.map((d) => d.id)).execute();
  const metricsOf = new Map(latest.map((l) => [l.device_pk, Object.keys(JSON.parse(l.metrics) as Record<string, unknown>)]));
  for (const d of devices) {
    for (const metric of (metricsOf.get(d.id) ?? []).filter((m) => PEAK_METRICS.includes(m))) {
      const q = { agentId: d.agent_id, deviceId: d.device_id, metric, from, to };
      const daily = await ctx.telemetry.query({ ...q, every: DAY_MS, fn: 'max' }).catch(() => []);
      const dailyMin = await ctx.telemetry.query({ ...q, every: DAY_MS, fn: 'min' }).catch(() => []);
      const nums = (xs: { v: unknown }[]) => xs.map((x) => (typeof x.v === 'boolean' ? Number(x.v) : x.v)).filter((v): v is number => typeof v === 'number');
      const maxs = nums(daily);
      const mins = nums(dailyMin);
      peaks.push({ device: d.device_id, metric, max: maxs.length ? Math.max(...maxs) : null, min: mins.length ? Math.min(...mins) : null });
      if (metric === 'temperatureC') for (const x of daily) if (typeof x.v === 'number') temperatureDaily.set(x.t, Math.max(temperatureDaily.get(x.t) ?? -Infinity, x.v));
      if (metric === 'voltageV') for (const x of dailyMin) if (typeof x.v === 'number') voltageDaily.set(x.t, Math.min(voltageDaily.get(x.t) ?? Infinity, x.v));
    }
  }
  const alarmDaily = new Map<number, number>();
  for (let t = Math.floor(from / DAY_MS) * DAY_MS; t < to; t += DAY_MS) alarmDaily.set(t, 0);
  for (const a of inPeriod) {
    const day = Math.floor(a.first_seen / DAY_MS) * DAY_MS;
    alarmDaily.set(day, (alarmDaily.get(day) ?? 0) + 1);
  }
  const points = (m: Map<number, number>) => [...m.entries()].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ t, v }));
  return {
    periodStart: from,
    periodEnd: to,
    uptime,
    alarms: { total: inPeriod.length, critical: inPeriod.filter((a) => a.severity === 'critical').length, byType },
    tickets: {
      opened: opened.length,
      open: tickets.filter((t) => (OPEN_STATES as readonly string[]).includes(t.state)).length,
      closed: tickets.filter((t) => t.closed_at !== null && t.closed_at >= from && t.closed_at < to).length,
      slaBreaches: new Set(breachRows.map((b) => b.ticket_id)).size,
      recurring,
    },
    peaks,
    missingCards,
    series: [
      { name: 'temperature', unit: '°C', points: points(temperatureDaily) },
      { name: 'voltage', unit: 'V', points: points(voltageDaily) },
      { name: 'alarms', unit: '', points: points(alarmDaily) },
    ],
  };
}
