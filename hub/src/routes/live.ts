/**
 * The live stream dashboards watch: `GET /api/live` answers Server-Sent Events — `readings`
 * (each batch the hub accepts, see live/tap.ts), `alarm` (raised/updated/acknowledged/
 * cleared) and `agent` (online/offline) — filtered to one site with `?siteId=` and always to
 * the caller's customer. Browsers read it with fetch (so the bearer header goes along), not
 * EventSource. A slow reader that lets more than a megabyte pile up is disconnected; a
 * comment line every 15 s keeps proxies from closing an idle stream.
 */
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { AlarmChange } from '../alarms/types.js';
import { customerScope } from '../auth/principal.js';
import type { TelemetryPoint } from '../telemetry/store.js';
import { Id } from './schemas.js';
import { visibleSite } from './sites.js';
import { principalOf, type RouteModule } from './types.js';

const LiveQuery = Type.Object({ siteId: Type.Optional(Id) }, { additionalProperties: false });

const HEARTBEAT_MS = 15_000;
const MAX_BUFFERED_BYTES = 1024 * 1024;

interface Filter {
  customerId: string | null;
  siteId: string | null;
}

const matches = (f: Filter, item: { customerId: string; siteId: string }): boolean =>
  (f.customerId === null || f.customerId === item.customerId) && (f.siteId === null || f.siteId === item.siteId);

/** One SSE frame: `event:` line, one `data:` line of JSON, blank line. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

interface Stream {
  filter: Filter;
  send(event: string, data: unknown): void;
}

export const liveRoutes: RouteModule = (app, ctx) => {
  const streams = new Set<Stream>();
  const responses = new Set<ServerResponse>();
  const agentSite = ctx.state.sqlite.prepare<[string], { site_id: string; customer_id: string }>(
    'select a.site_id, s.customer_id from agents a join sites s on s.id = a.site_id where a.id = ?',
  );

  // One listener per bus event for all streams (attached while any stream is open), so
  // many open dashboards never pile listeners onto the bus.
  const onReadings = (points: readonly TelemetryPoint[]): void => {
    for (const st of streams) {
      const mine = points.filter((p) => matches(st.filter, p));
      if (mine.length > 0) st.send('readings', mine.map((p) => ({ siteId: p.siteId, agentId: p.agentId, deviceId: p.deviceId, component: p.component, at: p.at, metrics: p.metrics, state: p.state ?? null })));
    }
  };
  const onAlarm = (change: AlarmChange): void => {
    for (const st of streams) if (matches(st.filter, change.alarm)) st.send('alarm', change);
  };
  const onAgent = (online: boolean) => (agentId: string): void => {
    const row = agentSite.get(agentId);
    if (row === undefined) return;
    for (const st of streams) if (matches(st.filter, { customerId: row.customer_id, siteId: row.site_id })) st.send('agent', { agentId, siteId: row.site_id, online });
  };
  const onOnline = onAgent(true);
  const onOffline = onAgent(false);
  const attach = (st: Stream): void => {
    if (streams.size === 0) {
      ctx.bus.on('readings', onReadings);
      ctx.bus.on('alarm', onAlarm);
      ctx.bus.on('agent-online', onOnline);
      ctx.bus.on('agent-offline', onOffline);
    }
    streams.add(st);
  };
  const detach = (st: Stream): void => {
    if (!streams.delete(st) || streams.size > 0) return;
    ctx.bus.off('readings', onReadings);
    ctx.bus.off('alarm', onAlarm);
    ctx.bus.off('agent-online', onOnline);
    ctx.bus.off('agent-offline', onOffline);
  };

  // Open streams would keep the server from closing: end them first.
  app.addHook('preClose', (done) => {
    for (const res of responses) res.end();
    done();
  });

  app.get(
    '/api/live',
    {
      config: { access: 'read' },
      schema: {
        tags: ['live'],
        summary: 'Server-Sent Events of readings, alarm changes and agents going on/offline (one site with siteId); read it with fetch and the bearer header',
        querystring: LiveQuery,
        produces: ['text/event-stream'],
      },
    },
    async (req, reply) => {
      const scope = customerScope(principalOf(req));
      const siteId = req.query.siteId ?? null;
      if (siteId !== null) await visibleSite(ctx, req, siteId); // 404 for a site the caller may not see
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const stream: Stream = {
        filter: { customerId: scope, siteId },
        send(event, data) {
          if (res.writableEnded) return;
          if (res.writableLength > MAX_BUFFERED_BYTES) {
            req.log.warn({ buffered: res.writableLength }, 'live stream reader too slow; disconnecting');
            res.end();
            return;
          }
          res.write(sseFrame(event, data));
        },
      };
      const heartbeat = setInterval(() => {
        if (!res.writableEnded) res.write(': ping\n\n');
      }, HEARTBEAT_MS);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        responses.delete(res);
        detach(stream);
      });
      responses.add(res);
      attach(stream);
      res.write(`retry: 2000\n${sseFrame('hello', { siteId, at: ctx.now() })}`);
    },
  );
};
