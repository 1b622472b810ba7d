import { INSPECT_SAMPLES, type InspectFacts } from '@ledwatch/protocols';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translator } from '../reports/catalogue.js';
import { bearer, createTestApp, type TestApp } from '../test-utils/app.js';
import { seedAgent } from '../test-utils/context.js';
import { FakeLink } from '../test-utils/fake-link.js';
import { startSmtpServer } from '../notify/test-servers.js';
import { inspectionSchedulerOf, inspectionsOf } from './index.js';

const JAN_20 = Date.UTC(2026, 0, 20, 12, 0);

/** A link whose agent answers every inspect command with `facts`. */
function answeringLink(t: TestApp, agentId: string, facts: () => unknown): FakeLink {
  const link = new FakeLink();
  const publish = link.publish.bind(link);
  link.publish = async (topic, payload) => {
    await publish(topic, payload);
    const cmd = JSON.parse(payload.toString()) as { id: string; type: string };
    if (cmd.type !== 'inspect') return;
    setTimeout(() => void t.ctx.commands.handleResult(agentId, { id: cmd.id, type: 'inspect', state: 'succeeded', at: Date.now(), result: { facts: facts() } }), 5);
  };
  return link;
}

describe('inspection service', () => {
  let t: TestApp;
  let now = JAN_20;

  beforeEach(async () => {
    now = JAN_20;
    t = await createTestApp({ now: () => now, config: { inspections: { resultTimeoutS: 5 }, reports: { mail: false } } });
    await inspectionsOf(t.ctx).init();
  });
  afterEach(async () => {
    await inspectionSchedulerOf(t.ctx).stop();
    inspectionsOf(t.ctx).close();
    await t.cleanup();
  });

  it('makes up the run missed while the hub was down, once, with a report saying the agent was offline', async () => {
    const site = t.fx.customers[0].siteId;
    await t.ctx.state.db.updateTable('sites').set({ created_at: Date.UTC(2025, 11, 1) }).execute();
    await seedAgent(t.ctx, site, { online: false });
    const scheduler = inspectionSchedulerOf(t.ctx);
    const missed = await scheduler.runMissed();
    expect(missed.sort()).toEqual([site, t.fx.customers[1].siteId].sort());
    await scheduler.drained();
    const [insp] = await inspectionsOf(t.ctx).list({ siteId: site });
    expect(insp).toMatchObject({ trigger: 'missed', state: 'done', agentOnline: false, periodStart: Date.UTC(2025, 11, 1), periodEnd: Date.UTC(2026, 0, 1) });
    expect(insp?.results?.find((r) => r.check === 'agent-online')).toMatchObject({ verdict: 'fail', finding: { key: 'agent-online.offline' } });
    expect(insp?.reportId).not.toBeNull();
    expect(await scheduler.runMissed()).toEqual([]); // the due time is recorded: no second run
  });

  it('fires the default schedule only on the first Monday of the month, in the site’s zone', async () => {
    const scheduler = inspectionSchedulerOf(t.ctx);
    expect(await scheduler.fire('0 9 1-7 * 1', 'UTC', Date.UTC(2026, 0, 12, 9, 0))).toBe(0);
    expect(await scheduler.fire('0 9 1-7 * 1', 'UTC', Date.UTC(2026, 0, 5, 9, 0))).toBe(2);
    await scheduler.drained();
    expect(await inspectionsOf(t.ctx).list({})).toHaveLength(2);
  });

  it('marks a run the previous hub left unfinished as failed at start-up', async () => {
    const site = t.fx.customers[0].siteId;
    await t.ctx.state.db
      .insertInto('inspections')
      .values({ id: 'insp-left', site_id: site, customer_id: t.fx.customers[0].id, agent_id: null, trigger: 'schedule', state: 'collecting', period_start: 0, period_end: 1, command_id: null, agent_online: 0, facts: null, results: null, summary: null, error: null, created_by: null, created_at: 0, finished_at: null })
      .execute();
    await inspectionsOf(t.ctx).init();
    expect(await inspectionsOf(t.ctx).get('insp-left')).toMatchObject({ state: 'failed', error: 'the hub stopped during the run' });
  });

  it('adds the seasonal templates’ checks in their months only', async () => {
    const site = t.fx.customers[0].siteId;
    const seasonal = async (month: number) => {
      const v = await inspectionsOf(t.ctx).start(site, 'manual', null, { period: { start: Date.UTC(2025, month - 1, 1), end: Date.UTC(2025, month, 1) } });
      return [...new Set((v.results ?? []).filter((r) => r.area === 'seasonal').map((r) => r.check))].sort();
    };
    expect(await seasonal(8)).toEqual(['season-rainy', 'season-typhoon']);
    expect(await seasonal(1)).toEqual(['season-winter']);
    expect(await seasonal(4)).toEqual([]);
  });

  it('runs one inspection per site at a time', async () => {
    const site = t.fx.customers[0].siteId;
    const first = inspectionsOf(t.ctx).start(site, 'manual');
    await expect(inspectionsOf(t.ctx).start(site, 'manual')).rejects.toMatchObject({ code: 'conflict' });
    await first;
    await expect(inspectionsOf(t.ctx).start(site, 'manual')).resolves.toMatchObject({ state: 'done' });
  });

  it('escalates a warn repeated in consecutive inspections with a ticket', async () => {
    const site = t.fx.customers[0].siteId;
    const agent = await seedAgent(t.ctx, site, { online: true });
    const facts = structuredClone(INSPECT_SAMPLES.facts.valid[0]) as InspectFacts;
    facts.security.runningAsRoot = true; // a warn
    t.ctx.commands.attach(answeringLink(t, agent.id, () => facts));
    const first = await inspectionsOf(t.ctx).start(site, 'manual');
    expect(first.agentOnline).toBe(true);
    expect(first.results?.find((r) => r.check === 'agent-root')).toMatchObject({ verdict: 'warn' });
    expect(first.results?.find((r) => r.check === 'agent-root')?.repeated).toBeUndefined();
    now += 31 * 86_400_000;
    const second = await inspectionsOf(t.ctx).start(site, 'manual');
    expect(second.results?.find((r) => r.check === 'agent-root')).toMatchObject({ verdict: 'warn', repeated: true });
    const tickets = await t.ctx.state.db.selectFrom('tickets').select(['title', 'severity']).where('site_id', '=', site).execute();
    expect(tickets).toContainEqual({ title: 'Repeated warning: Agent privileges', severity: 'risk' });
    // The controller on the LAN port 5200 is a fail: one ticket, not reopened while open.
    expect(tickets.filter((x) => x.title === 'Inspection: Controller control port isolation (ctrl-1)')).toHaveLength(1);
  });

  it('has an English text for every finding and fix the checks produce', async () => {
    const site = t.fx.customers[0].siteId;
    const agent = await seedAgent(t.ctx, site, { online: true });
    const samples = INSPECT_SAMPLES.facts.valid as InspectFacts[];
    let n = 0;
    t.ctx.commands.attach(answeringLink(t, agent.id, () => samples[n++ % samples.length]));
    const { t: tr } = translator('en');
    for (let i = 0; i < samples.length; i++) {
      const insp = await inspectionsOf(t.ctx).start(site, 'manual');
      for (const r of insp.results ?? []) {
        for (const key of [`${r.check}.title`, r.finding.key, ...(r.fix ? [r.fix.key] : [])]) expect(tr(key), key).not.toBe(key);
        expect(tr(r.finding.key, r.finding.params), r.finding.key).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('shows a customer only its own reports', async () => {
    const [a, b] = t.fx.customers;
    const insp = await inspectionsOf(t.ctx).start(a.siteId, 'manual');
    const own = await t.app.inject({ method: 'GET', url: '/api/reports', headers: bearer(a.user.token) });
    expect(own.json<{ items: { id: string }[] }>().items.map((r) => r.id)).toEqual([insp.reportId]);
    const other = await t.app.inject({ method: 'GET', url: '/api/reports', headers: bearer(b.user.token) });
    expect(other.json<{ items: unknown[] }>().items).toEqual([]);
    const pdf = await t.app.inject({ method: 'GET', url: `/api/reports/${insp.reportId}/pdf`, headers: bearer(b.user.token) });
    expect(pdf.statusCode).toBe(404);
    const mine = await t.app.inject({ method: 'GET', url: `/api/reports/${insp.reportId}/pdf`, headers: bearer(a.user.token) });
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(mine.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const run = await t.app.inject({ method: 'POST', url: `/api/sites/${a.siteId}/inspections`, headers: bearer(a.user.token) });
    expect(run.statusCode).toBe(403);
  });

  it('mails the report to the site’s customer contacts with the PDF, and sends it again on request', async () => {
    const smtp = await startSmtpServer();
    const app = await createTestApp({ config: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'ledwatch <noreply@example.test>' }, inspections: { resultTimeoutS: 5 } } });
    try {
      const [a] = app.fx.customers;
      await app.ctx.state.db.insertInto('sites').values({ id: 'elsewhere', customer_id: a.id, name: 'Second wall', timezone: 'UTC', address: null, created_at: 0, updated_at: 0 }).execute();
      await app.ctx.state.db
        .insertInto('contacts')
        .values([
          { id: 'k1', customer_id: a.id, site_id: null, name: 'Owner', email: 'owner@acme.example', phone: null, role: null, created_at: 0 },
          { id: 'k2', customer_id: a.id, site_id: a.siteId, name: 'Site lead', email: 'lead@acme.example', phone: null, role: null, created_at: 0 },
          { id: 'k3', customer_id: a.id, site_id: 'elsewhere', name: 'Other site', email: 'other@acme.example', phone: null, role: null, created_at: 0 },
        ])
        .execute();
      await inspectionsOf(app.ctx).init();
      const insp = await inspectionsOf(app.ctx).start(a.siteId, 'manual');
      const first = await inspectionsOf(app.ctx).reports.get(insp.reportId as string);
      expect(first).toMatchObject({ mailedTo: ['owner@acme.example', 'lead@acme.example'], sends: 1, mailError: null });
      expect(smtp.mails[0]?.to.sort()).toEqual(['lead@acme.example', 'owner@acme.example']);
      expect(smtp.mails[0]?.body).toMatch(/Content-Type: application\/pdf/);
      const again = await app.app.inject({ method: 'POST', url: `/api/reports/${insp.reportId}/send`, headers: bearer(app.fx.engineer.token) });
      expect(again.json()).toMatchObject({ sends: 2 });
      expect(smtp.mails).toHaveLength(2);
    } finally {
      inspectionsOf(app.ctx).close();
      await app.cleanup();
      await smtp.close();
    }
  });
});
