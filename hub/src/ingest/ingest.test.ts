import { CONTRACT_SAMPLES, topics } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../broker/types.js';
import type { HubContext } from '../context.js';
import { createTestContext } from '../test-utils/context.js';
import { FakeLink } from '../test-utils/fake-link.js';
import { Ingest } from './ingest.js';

const T = 1_764_180_000_000;

describe('ingest', () => {
  let ctx: HubContext & { cleanup(): Promise<void> };
  let link: FakeLink;
  const send = (topic: string, payload: unknown): Promise<void> =>
    link.handler({ topic, payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)) } satisfies InboundMessage) as Promise<void>;
  const agentRow = () => ctx.state.sqlite.prepare('select * from agents where id = ?').get('a1') as Record<string, unknown>;

  beforeEach(async () => {
    ctx = await createTestContext();
    const db = ctx.state.sqlite;
    db.prepare("insert into customers (id, name, language, created_at, updated_at) values ('c1', 'C', 'en', 0, 0)").run();
    db.prepare("insert into sites (id, customer_id, name, timezone, created_at, updated_at) values ('s1', 'c1', 'S', 'UTC', 0, 0)").run();
    db.prepare("insert into agents (id, name, site_id, secret_hash, created_at) values ('a1', 'A', 's1', 'x', 0)").run();
    link = new FakeLink();
    new Ingest(ctx, link); // registers itself on the link and the bus
  });
  afterEach(async () => {
    await ctx.cleanup();
  });

  it('marks an agent online from its birth status and offline from its will', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1.2.3', sessionId: 's-1', startedAt: T, at: T, hostname: 'pc' });
    expect(agentRow()).toMatchObject({ online: 1, version: '1.2.3', session_id: 's-1', hostname: 'pc' });
    await send(topics.status('a1'), { state: 'offline', version: '1.2.3', sessionId: 's-1', startedAt: T, at: T, reason: 'lost' });
    expect(agentRow()).toMatchObject({ online: 0 });
  });

  it('ignores the late will of a replaced session', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's-2', startedAt: T, at: T });
    await send(topics.status('a1'), { state: 'offline', version: '1', sessionId: 's-1', startedAt: T, at: T, reason: 'lost' });
    expect(agentRow()).toMatchObject({ online: 1, session_id: 's-2' });
  });

  it('marks the agent offline when the broker reports its connection gone', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's-1', startedAt: T, at: T });
    link.dropAgent('a1');
    expect(agentRow()).toMatchObject({ online: 0 });
  });

  it('stores inventory devices and marks devices that left the inventory absent', async () => {
    await send(topics.inventory('a1'), CONTRACT_SAMPLES.inventory.valid[0]);
    const rows = ctx.state.sqlite.prepare('select device_id, kind, present from devices order by device_id').all();
    expect(rows).toEqual([
      { device_id: 'ctrl-1', kind: 'novastar', present: 1 },
      { device_id: 'ctrl-1/p0/c0', kind: 'novastar-receiving-card', present: 1 },
      { device_id: 'host', kind: 'host', present: 1 },
    ]);
    await send(topics.inventory('a1'), { sessionId: 's-1', at: T, devices: [{ id: 'host', kind: 'host', capabilities: [] }] });
    const present = ctx.state.sqlite.prepare('select device_id from devices where present = 1').all();
    expect(present).toEqual([{ device_id: 'host' }]);
  });

  it('keeps the latest reading per device and component and acknowledges the seq', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's-7f3a9c', startedAt: T, at: T });
    await send(topics.telemetry('a1'), CONTRACT_SAMPLES.telemetry.valid[0]);
    ctx.latest.flush(true); // written behind (latest.ts)
    const latest = ctx.state.sqlite
      .prepare('select d.device_id, l.component, l.metrics, l.state from latest_readings l join devices d on d.id = l.device_pk order by 1, 2')
      .all() as { device_id: string; component: string; metrics: string; state: string | null }[];
    expect(latest.map((r) => `${r.device_id}|${r.component}`)).toEqual(['ctrl-1/p0/c3|', 'ctrl-1/p0/c4|', 'host|', 'host|/var']);
    expect(JSON.parse(latest[2]?.metrics ?? '{}')).toEqual({ cpuPct: 12.5, memUsedPct: 41.2, uptimeS: 86400 });
    expect(link.published.filter((p) => p.topic === topics.ack('a1'))).toEqual([{ topic: topics.ack('a1'), payload: { seq: 41 } }]);
    expect(agentRow()).toMatchObject({ last_seq: 41 });
  });

  it('never lets an older reading overwrite a newer one', async () => {
    const batch = (seq: number, at: number, cpu: number) => ({ seq, sessionId: 's', readings: [{ device: 'host', at, metrics: { cpuPct: cpu } }] });
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: T, at: T });
    await send(topics.telemetry('a1'), batch(1, T + 2000, 20));
    await send(topics.telemetry('a1'), batch(2, T + 1000, 10));
    ctx.latest.flush(true);
    const row = ctx.state.sqlite.prepare('select at, metrics from latest_readings').get() as { at: number; metrics: string };
    expect(row).toEqual({ at: T + 2000, metrics: '{"cpuPct":20}' });
    expect(agentRow()).toMatchObject({ last_seq: 2 });
  });

  it('writes the newest of many batches in flight at once, per device and component', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: T, at: T });
    const reading = (i: number) => [
      { device: 'host', at: T + i * 1000, metrics: { cpuPct: i }, ...(i === 3 ? { state: 'warn' } : {}) },
      { device: 'host', component: '/var', at: T + i * 1000, metrics: { usedPct: i } },
    ];
    // Out of order, all handled concurrently (as the broker delivers them).
    await Promise.all([5, 1, 3, 4, 2].map((i) => send(topics.telemetry('a1'), { seq: i, sessionId: 's', readings: reading(i) })));
    ctx.latest.flush(true);
    const rows = ctx.state.sqlite.prepare('select l.component, l.at, l.metrics, l.state from latest_readings l order by 1').all();
    expect(rows).toEqual([
      { component: '', at: T + 5000, metrics: '{"cpuPct":5}', state: null },
      { component: '/var', at: T + 5000, metrics: '{"usedPct":5}', state: null },
    ]);
    // The device keeps the last state any reading named; its last reading time is the newest.
    expect(ctx.state.sqlite.prepare("select state, last_reading_at from devices where device_id = 'host'").get()).toEqual({ state: 'warn', last_reading_at: T + 5000 });
    expect(link.published.filter((p) => p.topic === topics.ack('a1'))).toHaveLength(5);
  });

  it('measures clock skew against when the broker took a batch in, not when ingest got to it', async () => {
    const now = Date.now();
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: now, at: now });
    // Batches that waited 2 minutes in the hub (a full store) come from a right clock.
    const late = (seq: number) =>
      link.handler({
        topic: topics.telemetry('a1'),
        payload: Buffer.from(JSON.stringify({ seq, sessionId: 's', sentAt: now - 120_000 + seq, readings: [{ device: 'host', at: now - 120_000 + seq, metrics: { cpuPct: seq } }] })),
        receivedAt: now - 120_000 + seq + 20,
      });
    for (let seq = 1; seq <= 3; seq++) await late(seq);
    expect(ctx.state.sqlite.prepare("select count(*) n from agent_events where type = 'clock-skew'").get()).toEqual({ n: 0 });
    const history = await ctx.telemetry.query({ agentId: 'a1', deviceId: 'host', metric: 'cpuPct', from: now - 200_000, to: now });
    expect(history.map((h) => h.t)).toEqual([1, 2, 3].map((seq) => now - 120_000 + seq)); // stored on their own times
  });

  it('does not take batches that queued while the store was full for a site clock', async () => {
    const now = Date.now();
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: now, at: now });
    // The store is full for a moment: the broker's gate (and ingest) wait for room.
    let open!: () => void;
    const full = new Promise<void>((resolve) => (open = resolve));
    const room = ctx.telemetry.room.bind(ctx.telemetry);
    ctx.telemetry.room = () => full;
    const held = send(topics.telemetry('a1'), { seq: 1, sessionId: 's', sentAt: now, readings: [{ device: 'host', at: now, metrics: { cpuPct: 1 } }] });
    ctx.telemetry.room = room;
    open();
    await held;
    // What queued in the agent's socket meanwhile arrives two minutes after it was sent.
    const queued = { seq: 2, sessionId: 's', sentAt: now - 120_000, readings: [{ device: 'host', at: now - 120_000, metrics: { cpuPct: 2 } }] };
    await link.handler({ topic: topics.telemetry('a1'), payload: Buffer.from(JSON.stringify(queued)), receivedAt: Date.now() });
    expect(ctx.state.sqlite.prepare("select count(*) n from agent_events where type = 'clock-skew'").get()).toEqual({ n: 0 });
    const history = await ctx.telemetry.query({ agentId: 'a1', deviceId: 'host', metric: 'cpuPct', from: now - 200_000, to: now + 1 });
    expect(history.map((h) => h.t)).toEqual([now - 120_000, now]); // each on its own time
  });

  it('asks for a rebirth when telemetry names a device it has never seen', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: T, at: T });
    await send(topics.telemetry('a1'), { seq: 1, sessionId: 's', readings: [{ device: 'mystery', at: T, metrics: { x: 1 } }] });
    const cmds = link.published.filter((p) => p.topic.startsWith('ledwatch/v1/a1/cmd/'));
    expect(cmds).toHaveLength(1);
    expect(cmds[0]?.payload).toMatchObject({ type: 'rebirth' });
    // At most once a minute.
    await send(topics.telemetry('a1'), { seq: 2, sessionId: 's', readings: [{ device: 'mystery-2', at: T, metrics: { x: 1 } }] });
    expect(link.published.filter((p) => p.topic.startsWith('ledwatch/v1/a1/cmd/'))).toHaveLength(1);
  });

  it('stores events once even when a batch is replayed, and acknowledges it', async () => {
    const events = CONTRACT_SAMPLES.events.valid[0];
    await send(topics.events('a1'), events);
    await send(topics.events('a1'), events);
    expect(ctx.state.sqlite.prepare('select count(*) n from agent_events').get()).toEqual({ n: 2 });
    expect(link.published.filter((p) => p.topic === topics.ack('a1')).map((p) => p.payload)).toEqual([{ seq: 42 }, { seq: 42 }]);
  });

  it('stores every reading in the telemetry history before it acknowledges the batch', async () => {
    const t0 = Date.now() - 10_000;
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: t0, at: t0 });
    for (let i = 0; i < 3; i++) {
      await send(topics.telemetry('a1'), { seq: i, sessionId: 's', readings: [{ device: 'host', at: t0 + i * 1000, metrics: { cpuPct: i } }] });
    }
    const history = await ctx.telemetry.query({ agentId: 'a1', deviceId: 'host', metric: 'cpuPct', from: t0, to: t0 + 10_000 });
    expect(history).toEqual([
      { t: t0, v: 0 },
      { t: t0 + 1000, v: 1 },
      { t: t0 + 2000, v: 2 },
    ]);
    expect(link.published.filter((p) => p.topic === topics.ack('a1')).map((p) => p.payload)).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }]);
  });

  it('stores readings of a site clock that jumped back a day on corrected time, and raises clock-skew', async () => {
    const now = Date.now();
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: now, at: now });
    await send(topics.telemetry('a1'), { seq: 1, sessionId: 's', sentAt: now, readings: [{ device: 'host', at: now - 500, metrics: { cpuPct: 10 } }] });
    const day = 86_400_000;
    // The site clock now says yesterday: without correction this would overwrite history.
    // Sent at once and measured 200 ms before, it belongs 200 ms before its arrival; that is
    // after the first reading even when both arrive within the same millisecond.
    await send(topics.telemetry('a1'), { seq: 2, sessionId: 's', sentAt: now - day, readings: [{ device: 'host', at: now - 200 - day, metrics: { cpuPct: 20 } }] });
    const history = await ctx.telemetry.query({ agentId: 'a1', deviceId: 'host', metric: 'cpuPct', from: now - 2 * day, to: now + 60_000 });
    expect(history.map((h) => h.v).sort()).toEqual([10, 20]);
    // Stored near its true time (moments ago), not a day back.
    expect(history.every((h) => h.t > now - 5000)).toBe(true);
    const events = ctx.state.sqlite.prepare("select type, action, severity from agent_events where type = 'clock-skew'").all();
    expect(events).toEqual([{ type: 'clock-skew', action: 'raised', severity: 'risk' }]);
  });

  it('counts and drops bad input without throwing', async () => {
    await send(topics.telemetry('a1'), '{not json');
    await send(topics.telemetry('a1'), { seq: -1, readings: [] });
    await send('ledwatch/v1/a1/nonsense', {});
    await send(topics.telemetry('ghost'), CONTRACT_SAMPLES.telemetry.valid[1]);
    const text = await ctx.metrics.registry.metrics();
    expect(text).toMatch(/messages_rejected_total\{kind="telemetry",reason="invalid-json"\} 1/);
    expect(text).toMatch(/messages_rejected_total\{kind="telemetry",reason="invalid-payload"\} 1/);
    expect(text).toMatch(/messages_rejected_total\{kind="unknown",reason="unknown-topic"\} 1/);
    expect(text).toMatch(/messages_rejected_total\{kind="telemetry",reason="unknown-agent"\} 1/);
    expect(link.published).toEqual([]);
  });

  it('drops a revoked agent, marks it offline and has the broker disconnect it', async () => {
    await send(topics.status('a1'), { state: 'online', version: '1', sessionId: 's', startedAt: T, at: T });
    ctx.state.sqlite.prepare('update agents set revoked_at = 1 where id = ?').run('a1');
    ctx.bus.emit('agent-revoked', 'a1');
    expect(link.disconnected).toEqual(['a1']);
    expect(agentRow()).toMatchObject({ online: 0 });
    await send(topics.telemetry('a1'), CONTRACT_SAMPLES.telemetry.valid[1]);
    expect(await ctx.metrics.registry.metrics()).toMatch(/reason="revoked-agent"\} 1/);
  });
});
