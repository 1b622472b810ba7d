/**
 * A hub for alarm tests: real SQLite, ingest driven through a FakeLink, a clock the test
 * moves, one customer/site/agent (`a1` on `s1`) with a NovaStar controller and card, a UPS,
 * a PSU, a host and a netcheck device in its inventory, and every `alarm` bus event kept.
 */
import { type AgentEvent, type Reading, topics } from '@ledwatch/protocols';
import type { InboundMessage } from '../broker/types.js';
import { createHubContext } from '../context-factory.js';
import { openStateDb, type AlarmRow } from '../db/index.js';
import { Ingest } from '../ingest/ingest.js';
import { createTestContext, type TestContext } from '../test-utils/context.js';
import { FakeLink } from '../test-utils/fake-link.js';
import type { AlarmOptions } from './lifecycle.js';
import type { AlarmChange } from './types.js';

export const T0 = 1_764_180_000_000;
export const CARD = 'ctrl-1/p0/c0';
export const INVENTORY = [
  { id: 'ctrl-1', kind: 'novastar', capabilities: [] },
  { id: CARD, kind: 'novastar', parent: 'ctrl-1', capabilities: [] },
  { id: 'ups-1', kind: 'snmp', capabilities: [] },
  { id: 'psu-1', kind: 'modbus', capabilities: [] },
  { id: 'host', kind: 'host', capabilities: [] },
  { id: 'net', kind: 'netcheck', capabilities: [] },
];

export interface AlarmHub {
  ctx: TestContext;
  link: FakeLink;
  /** Every `alarm` bus event, in order. */
  changes: AlarmChange[];
  /** Hub time; readings default to it. */
  t: number;
  advance(s: number): void;
  online(agentId?: string): Promise<void>;
  read(device: string, metrics: Reading['metrics'], more?: Partial<Reading>): Promise<void>;
  events(...events: Omit<AgentEvent, 'at'>[]): Promise<void>;
  send(topic: string, payload: unknown): Promise<void>;
  rows(where?: string): AlarmRow[];
  /** Closes the hub and starts a new one (context, alarm service, ingest) over the same database file. */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createAlarmHub(opts: { alarms?: Partial<AlarmOptions>; inventory?: boolean } = {}): Promise<AlarmHub> {
  let seq = 0;
  const hub = {} as AlarmHub;
  hub.t = T0;
  const now = () => hub.t;
  const ctx = await createTestContext({ now, alarms: { ...opts.alarms } });
  const db = ctx.state.sqlite;
  db.prepare("insert into customers (id, name, language, created_at, updated_at) values ('c1', 'C', 'en', 0, 0)").run();
  db.prepare("insert into sites (id, customer_id, name, timezone, created_at, updated_at) values ('s1', 'c1', 'S', 'UTC', 0, 0)").run();
  db.prepare("insert into agents (id, name, site_id, secret_hash, created_at) values ('a1', 'A', 's1', 'x', 0)").run();
  const attach = (c: TestContext) => {
    hub.ctx = c;
    hub.link = new FakeLink();
    new Ingest(c, hub.link); // registers itself on the link and the bus
    c.bus.on('alarm', (change) => hub.changes.push(change));
  };
  Object.assign(hub, {
    changes: [],
    advance: (s: number) => (hub.t += s * 1000),
    send: (topic: string, payload: unknown) => hub.link.handler({ topic, payload: Buffer.from(JSON.stringify(payload)) } satisfies InboundMessage) as Promise<void>,
    online: (agentId = 'a1') => hub.send(topics.status(agentId), { state: 'online', version: '1', sessionId: 's-1', startedAt: T0, at: hub.t }),
    read: (device: string, metrics: Reading['metrics'], more: Partial<Reading> = {}) =>
      hub.send(topics.telemetry('a1'), { seq: ++seq, sessionId: 's-1', readings: [{ device, at: hub.t, metrics, ...more }] }),
    events: (...events: Omit<AgentEvent, 'at'>[]) => hub.send(topics.events('a1'), { seq: ++seq, sessionId: 's-1', events: events.map((e) => ({ at: hub.t, ...e })) }),
    rows: (where = '1 = 1') => hub.ctx.state.sqlite.prepare(`select * from alarms where ${where} order by id`).all() as AlarmRow[],
    async restart() {
      const { config, log } = hub.ctx;
      const path = hub.ctx.state.path;
      hub.ctx.alarms.close();
      await hub.ctx.notify.close();
      await hub.ctx.telemetry.close();
      await hub.ctx.state.close();
      const state = await openStateDb(path);
      const next = createHubContext({ config, log, state, now, alarms: { sweepIntervalMs: 0, ...opts.alarms } });
      attach({ ...next, dir: ctx.dir, cleanup: ctx.cleanup } as TestContext);
      hub.cleanup = async () => {
        next.alarms.close();
        await next.notify.close();
        await next.telemetry.close();
        await state.close();
        await ctx.cleanup(); // its database is closed already; removes the folder
      };
    },
    cleanup: () => ctx.cleanup(),
  });
  attach(ctx);
  await hub.online();
  if (opts.inventory !== false) await hub.send(topics.inventory('a1'), { sessionId: 's-1', at: T0, devices: INVENTORY });
  return hub;
}
