/**
 * Devices as the agents' inventories reported them, each with its latest readings (one per
 * component; '' is the device itself). Read-only: ingest writes these tables. Customer users
 * see the devices of their own sites only.
 */
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { customerScope } from '../auth/principal.js';
import type { HubContext } from '../context.js';
import { notFound } from '../errors.js';
import { Device, Id, ListOf, LatestReading, withErrors } from './schemas.js';
import { principalOf, type RouteModule } from './types.js';

type DeviceView = Static<typeof Device>;
type ReadingView = Static<typeof LatestReading>;

const DeviceQuery = Type.Object(
  { siteId: Type.Optional(Id), agentId: Type.Optional(Id), kind: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);
const DeviceParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function capabilitiesOf(text: string): string[] {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];
}

function metricsOf(text: string): Record<string, number | boolean | string> {
  const v = parseJson(text);
  const out: Record<string, number | boolean | string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, m] of Object.entries(v)) {
    if (typeof m === 'number' || typeof m === 'boolean' || typeof m === 'string') out[k] = m;
  }
  return out;
}

/** Devices matching the filters and the caller's scope, with their latest readings. */
async function findDevices(ctx: HubContext, req: FastifyRequest, filter: { id?: number; siteId?: string; agentId?: string; kind?: string }): Promise<DeviceView[]> {
  const db = ctx.state.db;
  const scope = customerScope(principalOf(req));
  let q = db
    .selectFrom('devices as d')
    .innerJoin('agents as a', 'a.id', 'd.agent_id')
    .innerJoin('sites as s', 's.id', 'a.site_id')
    .selectAll('d')
    .select('a.site_id')
    .orderBy('a.site_id')
    .orderBy('d.agent_id')
    .orderBy('d.device_id');
  if (scope !== null) q = q.where('s.customer_id', '=', scope);
  if (filter.id !== undefined) q = q.where('d.id', '=', filter.id);
  if (filter.siteId !== undefined) q = q.where('a.site_id', '=', filter.siteId);
  if (filter.agentId !== undefined) q = q.where('d.agent_id', '=', filter.agentId);
  if (filter.kind !== undefined) q = q.where('d.kind', '=', filter.kind);
  const rows = await q.execute();

  const latest = new Map<number, ReadingView[]>();
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    const readings = await db.selectFrom('latest_readings').selectAll().where('device_pk', 'in', ids).orderBy('device_pk').orderBy('component').execute();
    for (const r of readings) {
      const list = latest.get(r.device_pk) ?? [];
      list.push({ component: r.component, at: r.at, metrics: metricsOf(r.metrics), state: r.state });
      latest.set(r.device_pk, list);
    }
  }

  // Readings ingest has not written yet (ingest/latest.ts writes behind): newer than the rows.
  for (const d of rows) {
    const waiting = ctx.latest.pendingOf(d.id);
    if (waiting === undefined) continue;
    const list = latest.get(d.id) ?? [];
    const put = (component: string, l: { at: number; metrics: Record<string, unknown>; state: string | undefined }) => {
      const i = list.findIndex((r) => r.component === component);
      const view = { component, at: l.at, metrics: l.metrics as ReadingView['metrics'], state: l.state ?? null };
      if (i < 0) list.push(view);
      else if ((list[i] as ReadingView).at <= l.at) list[i] = view;
    };
    if (waiting.own !== undefined) put('', waiting.own);
    for (const [component, l] of waiting.components ?? []) put(component, l);
    list.sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
    latest.set(d.id, list);
    if (waiting.state !== undefined && (d.last_reading_at === null || waiting.stateAt >= d.last_reading_at)) d.state = waiting.state;
  }

  return rows.map((d) => ({
    id: d.id,
    agentId: d.agent_id,
    deviceId: d.device_id,
    siteId: d.site_id,
    kind: d.kind,
    name: d.name,
    model: d.model,
    firmware: d.firmware,
    serial: d.serial,
    parent: d.parent,
    state: d.state,
    present: d.present !== 0,
    capabilities: capabilitiesOf(d.capabilities),
    // devices.last_reading_at is written behind (ingest/latest.ts); the device's own latest reading, waiting ones included, is exact.
    lastReadingAt: (latest.get(d.id) ?? []).reduce<number | null>((at, l) => (l.component === '' && (at === null || l.at > at) ? l.at : at), d.last_reading_at),
    latest: latest.get(d.id) ?? [],
  }));
}

export const deviceRoutes: RouteModule = (app, ctx) => {
  const tags = ['devices'];

  app.get(
    '/api/devices',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'List devices with their latest readings', querystring: DeviceQuery, response: withErrors({ 200: ListOf(Device) }) },
    },
    async (req) => {
      const { siteId, agentId, kind } = req.query;
      const filter = { ...(siteId !== undefined ? { siteId } : {}), ...(agentId !== undefined ? { agentId } : {}), ...(kind !== undefined ? { kind } : {}) };
      return { items: await findDevices(ctx, req, filter) };
    },
  );

  app.get(
    '/api/devices/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'Get a device with its latest readings', params: DeviceParams, response: withErrors({ 200: Device }) } },
    async (req) => {
      const [device] = await findDevices(ctx, req, { id: req.params.id });
      if (device === undefined) throw notFound('device', req.params.id);
      return device;
    },
  );
};
