/**
 * A hub for ticket tests: real SQLite, the real alarm service fed card readings, a fake
 * clock and timers (sla/fake-time.ts) that drive the SLA monitor, the standard fixture, and
 * one agent `a1` on Acme's site with a NovaStar card. Starts at Friday 2025-11-28 17:00 UTC.
 */
import { openStateDb, type TicketRow } from '../db/index.js';
import { createHubContext } from '../context-factory.js';
import { FakeTime } from '../sla/fake-time.js';
import { createTestContext, type TestContext } from '../test-utils/context.js';
import { type Fixture, seedAgent, seedDevice, seedFixture } from '../test-utils/fixture.js';
import type { TicketOptions } from './core.js';

export const FRIDAY_17H = Date.parse('2025-11-28T17:00:00Z');
export const CARD = 'ctrl-1/p0/c0';
export const MIN = 60_000;

export interface TicketHub {
  ctx: TestContext;
  fx: Fixture;
  time: FakeTime;
  devicePk: number;
  /** A card temperature reading now (≥ 85 raises a fault, ≥ 70 a risk, < 65 clears). */
  temp(c: number, device?: string): void;
  advance(ms: number): void;
  tickets(): TicketRow[];
  events(ticketId: number): { kind: string; actor_user_id: string | null; from_state: string | null; to_state: string | null; at: number; body: string | null }[];
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createTicketHub(opts: { tickets?: Partial<TicketOptions>; start?: number } = {}): Promise<TicketHub> {
  const time = new FakeTime(opts.start ?? FRIDAY_17H);
  const now = () => time.now;
  const tickets = { timers: time, ...opts.tickets };
  const ctx = await createTestContext({ now, tickets });
  const fx = await seedFixture(ctx);
  const [acme] = fx.customers;
  await seedAgent(ctx, acme.siteId, { id: 'a1' });
  const devicePk = await seedDevice(ctx, { agentId: 'a1', deviceId: CARD, kind: 'novastar' });
  await seedDevice(ctx, { agentId: 'a1', deviceId: 'ctrl-1/p0/c1', kind: 'novastar' });
  ctx.tickets.start();
  const agent = { id: 'a1', siteId: acme.siteId, customerId: acme.id };
  const hub: TicketHub = {
    ctx,
    fx,
    time,
    devicePk,
    temp: (c, device = CARD) => hub.ctx.alarms.onReadings(agent, [{ device, at: time.now, metrics: { temperatureC: c } }]),
    advance: (ms) => time.advanceTo(time.now + ms),
    tickets: () => hub.ctx.state.sqlite.prepare('select * from tickets order by id').all() as TicketRow[],
    events: (id) => hub.ctx.state.sqlite.prepare('select * from ticket_events where ticket_id = ? order by id').all(id) as ReturnType<TicketHub['events']>,
    async restart() {
      const { config, log, dir } = hub.ctx;
      const path = hub.ctx.state.path;
      hub.ctx.tickets.close();
      hub.ctx.alarms.close();
      await hub.ctx.notify.close();
      await hub.ctx.telemetry.close();
      await hub.ctx.state.close();
      const state = await openStateDb(path);
      const next = createHubContext({ config, log, state, now, alarms: { sweepIntervalMs: 0 }, tickets: { sweepIntervalMs: 0, ...tickets } });
      hub.ctx = { ...next, dir, cleanup: async () => {
        next.tickets.close();
        next.alarms.close();
        await next.notify.close();
        await next.telemetry.close();
        await state.close();
        await ctx.cleanup();
      } };
      hub.ctx.tickets.start();
    },
    cleanup: () => hub.ctx.cleanup(),
  };
  return hub;
}
