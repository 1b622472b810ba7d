/**
 * History of a device from the telemetry store: one metric over a time range, raw or in
 * windows (`every`) with an aggregate (`fn`), as JSON or CSV (`Accept: text/csv`); and the
 * newest reading per component as the store has it.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import { invalid, notFound } from '../errors.js';
import { AGGREGATE_FNS, type AggregateFn } from '../telemetry/store.js';
import { LatestReading, Ms, withErrors } from './schemas.js';
import { principalOf, type RouteModule } from './types.js';

const DeviceParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Time = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1, maxLength: 40 })], {
  description: 'ms since the epoch, or an ISO 8601 date-time',
});
const HistoryQuery = Type.Object(
  {
    metric: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$' }),
    component: Type.Optional(Type.String({ maxLength: 128, description: "part of the device; '' or absent = the device itself" })),
    from: Type.Optional(Time),
    to: Type.Optional(Time),
    every: Type.Optional(Type.String({ pattern: '^[0-9]+(ms|s|m|h|d)?$', description: 'window, e.g. 1m, 15m, 1h (a bare number is ms); absent = raw values' })),
    fn: Type.Optional(Type.Union(AGGREGATE_FNS.map((f) => Type.Literal(f)), { description: 'aggregate per window (default mean)' })),
  },
  { additionalProperties: false },
);
const Value = Type.Union([Type.Number(), Type.Boolean(), Type.String(), Type.Null()]);
const History = Type.Object({
  deviceId: Type.Integer(),
  metric: Type.String(),
  component: Type.String(),
  from: Ms,
  to: Ms,
  every: Type.Union([Type.Integer(), Type.Null()]),
  fn: Type.Union([Type.String(), Type.Null()]),
  points: Type.Array(Type.Object({ t: Ms, v: Value })),
});

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const MAX_WINDOWS = 20_000;
const DAY = 86_400_000;

function parseTime(field: string, v: number | string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number') return v;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw invalid(`querystring.${field}`, `not a time: ${JSON.stringify(v)} (use ms since the epoch or ISO 8601)`);
  return n;
}

function parseEvery(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^([0-9]+)(ms|s|m|h|d)?$/.exec(v);
  const ms = Number(m?.[1]) * (UNIT_MS[m?.[2] ?? 'ms'] ?? 1);
  if (!(ms > 0)) throw invalid('querystring.every', 'must be a positive duration, e.g. 1m');
  return ms;
}

async function deviceOf(ctx: HubContext, req: FastifyRequest, id: number): Promise<{ agentId: string; deviceId: string }> {
  const row = await ctx.state.db
    .selectFrom('devices as d')
    .innerJoin('agents as a', 'a.id', 'd.agent_id')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .select(['d.agent_id', 'd.device_id', 's.customer_id'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  const scope = customerScope(principalOf(req));
  if (row === undefined || (scope !== null && scope !== row.customer_id)) throw notFound('device', String(id));
  return { agentId: row.agent_id, deviceId: row.device_id };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const telemetryRoutes: RouteModule = (app, ctx) => {
  const tags = ['devices'];

  app.get(
    '/api/devices/:id/telemetry',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'History of one metric of a device: raw, or per window with mean/min/max/last/count; CSV with Accept: text/csv',
        params: DeviceParams,
        querystring: HistoryQuery,
        response: withErrors({ 200: History }),
      },
    },
    async (req, reply) => {
      const device = await deviceOf(ctx, req, req.params.id);
      const q = req.query;
      const to = parseTime('to', q.to, ctx.now());
      const from = parseTime('from', q.from, to - DAY);
      if (from >= to) throw invalid('querystring.from', 'must be before to');
      const every = parseEvery(q.every);
      if (every !== undefined && (to - from) / every > MAX_WINDOWS) {
        throw invalid('querystring.every', `gives more than ${MAX_WINDOWS} windows for this range; choose a longer window`);
      }
      const fn: AggregateFn | undefined = every === undefined ? undefined : (q.fn ?? 'mean');
      const component = q.component ?? '';
      const points = await ctx.telemetry.query({
        ...device,
        metric: q.metric,
        component,
        from,
        to,
        ...(every !== undefined ? { every } : {}),
        ...(fn !== undefined ? { fn } : {}),
      });
      if ((req.headers.accept ?? '').includes('text/csv')) {
        const lines = ['time,iso_time,value', ...points.map((p) => `${p.t},${new Date(p.t).toISOString()},${csvCell(p.v)}`)];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${device.deviceId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${q.metric}.csv"`)
          .send(`${lines.join('\n')}\n` as never);
      }
      return { deviceId: req.params.id, metric: q.metric, component, from, to, every: every ?? null, fn: fn ?? null, points };
    },
  );

  app.get(
    '/api/devices/:id/telemetry/latest',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'The newest stored reading of each component of a device', params: DeviceParams, response: withErrors({ 200: Type.Object({ items: Type.Array(LatestReading) }) }) },
    },
    async (req) => {
      const device = await deviceOf(ctx, req, req.params.id);
      const latest = await ctx.telemetry.latest(device);
      return { items: latest.map((l) => ({ component: l.component, at: l.at, metrics: l.metrics, state: l.state ?? null })) };
    },
  );
};
