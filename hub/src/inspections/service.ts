/**
 * Runs inspections: sends `inspect` to the site's agent through the durable command
 * channel, waits for its facts (an offline or silent agent yields a report that says so),
 * runs the checks of the templates in force with the month's data, opens tickets for
 * failed checks (a warn repeated from last month escalates), renders and stores the
 * report and mails it. One run per site at a time.
 */
import { randomBytes } from 'node:crypto';
import { validateInspectFacts, type CmdResultPayload, type InspectFacts, type InspectParams } from '@ledwatch/protocols';
import type { HubContext } from '../context.js';
import { conflict, notFound } from '../errors.js';
import { translator } from '../reports/catalogue.js';
import { ReportService, type ReportView } from '../reports/service.js';
import { SYSTEM_ACTOR } from '../tickets/types.js';
import { HUB_VERSION } from '../version.js';
import { runChecks, summarize } from './checks/index.js';
import { DEFAULT_THRESHOLDS, type CheckResult, type PeriodData, type Thresholds } from './checks/types.js';
import { gatherPeriod } from './period.js';
import { InspectionStore } from './store.js';
import type { InspectionState, InspectionTrigger } from './tables.js';
import { wallTime, zonedInstant } from '../sla/zone.js';

export interface InspectionView {
  id: string;
  siteId: string;
  customerId: string;
  agentId: string | null;
  trigger: InspectionTrigger;
  state: InspectionState;
  periodStart: number;
  periodEnd: number;
  commandId: string | null;
  agentOnline: boolean;
  summary: ReturnType<typeof summarize> | null;
  results: CheckResult[] | null;
  facts: InspectFacts | null;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
  reportId: string | null;
}

interface Waiter {
  resolve(result: CmdResultPayload | undefined): void;
}

export class InspectionService {
  readonly store: InspectionStore;
  readonly reports: ReportService;
  readonly #running = new Map<string, Promise<InspectionView>>();
  readonly #waiters = new Map<string, Waiter>();
  #closed = false;

  constructor(private readonly ctx: HubContext) {
    this.store = new InspectionStore(ctx.state, ctx.now);
    this.reports = new ReportService(ctx);
    ctx.commands.onResult((_agentId, result) => {
      if (result.type !== 'inspect' || result.state === 'accepted' || result.state === 'running') return;
      this.#waiters.get(result.id)?.resolve(result);
    });
  }

  /** Seeds defaults and marks runs a previous hub left unfinished as failed. */
  async init(): Promise<void> {
    await this.store.seed();
    await this.ctx.state.db
      .updateTable('inspections')
      .set({ state: 'failed', error: 'the hub stopped during the run', finished_at: this.ctx.now() })
      .where('state', 'in', ['collecting', 'checking'])
      .execute();
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.values()) w.resolve(undefined);
  }

  isRunning(siteId: string): boolean {
    return this.#running.has(siteId);
  }

  /** Idle when no run is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** Starts a run of a site; throws `conflict` when one is already running. Resolves when it finished. */
  start(siteId: string, trigger: InspectionTrigger, by: string | null = null, opts: { period?: { start: number; end: number } } = {}): Promise<InspectionView> {
    if (this.#running.has(siteId)) return Promise.reject(conflict(`an inspection of site ${siteId} is already running`));
    const run = this.#run(siteId, trigger, by, opts.period).finally(() => this.#running.delete(siteId));
    this.#running.set(siteId, run);
    return run;
  }

  async #run(siteId: string, trigger: InspectionTrigger, by: string | null, period: { start: number; end: number } | undefined): Promise<InspectionView> {
    const { db } = this.ctx.state;
    const site = await db.selectFrom('sites').select(['id', 'customer_id', 'timezone', 'name']).where('id', '=', siteId).executeTakeFirst();
    if (site === undefined) throw notFound('site', siteId);
    const now = this.ctx.now();
    // A scheduled run covers the previous calendar month; an on-demand run the last 30 days.
    const { start, end } = period ?? (trigger === 'schedule' || trigger === 'missed' ? previousMonth(site.timezone, now) : { start: now - 30 * 86_400_000, end: now });
    const agent = await db.selectFrom('agents').select(['id', 'online', 'last_seen']).where('site_id', '=', siteId).where('revoked_at', 'is', null).orderBy('online', 'desc').orderBy('last_seen', 'desc').executeTakeFirst();
    const id = `insp-${randomBytes(6).toString('hex')}`;
    await db
      .insertInto('inspections')
      .values({ id, site_id: siteId, customer_id: site.customer_id, agent_id: agent?.id ?? null, trigger, state: 'collecting', period_start: start, period_end: end, command_id: null, agent_online: 0, facts: null, results: null, summary: null, error: null, created_by: by, created_at: now, finished_at: null })
      .execute();
    this.ctx.log.info({ inspectionId: id, siteId, trigger }, 'inspection started');
    try {
      const settings = await this.store.settings(siteId);
      let facts: InspectFacts | undefined;
      let commandId: string | null = null;
      let collectError: string | null = null;
      if (agent !== undefined && agent.online === 1 && !this.#closed) {
        const params: InspectParams = { periodStart: start, periodEnd: end, network: settings.network, logDirs: settings.logDirs, largestFiles: 10 };
        const timeoutMs = this.ctx.config.inspections.resultTimeoutS * 1000;
        const answer = this.#waitFor(timeoutMs);
        const cmd = await this.ctx.commands.send(agent.id, 'inspect', params as Record<string, unknown>, { createdBy: by, expiresInMs: timeoutMs });
        commandId = cmd.id;
        await db.updateTable('inspections').set({ command_id: cmd.id }).where('id', '=', id).execute();
        const result = await answer.wait(cmd.id);
        if (result?.state === 'succeeded') {
          try {
            facts = validateInspectFacts(result.result?.facts);
          } catch (err) {
            collectError = (err as Error).message.slice(0, 1000);
          }
        } else collectError = result === undefined ? `no answer within ${timeoutMs / 1000} s` : `${result.error?.code ?? result.state}: ${result.error?.message ?? ''}`;
      }
      await db.updateTable('inspections').set({ state: 'checking' }).where('id', '=', id).execute();
      const { results, period } = await this.#check(site, agent, settings, facts, start, end, id);
      const summary = summarize(results);
      await this.#openTickets(site, agent?.id ?? null, results, id);
      await db
        .updateTable('inspections')
        .set({ agent_online: facts === undefined ? 0 : 1, facts: facts === undefined ? null : JSON.stringify(facts), results: JSON.stringify(results), summary: JSON.stringify(summary), error: collectError })
        .where('id', '=', id)
        .execute();
      const report = await this.reports.create({
        inspectionId: id,
        siteId,
        agentOnline: facts !== undefined,
        agentLastSeen: agent?.last_seen ?? null,
        periodStart: start,
        periodEnd: end,
        results,
        series: period.series,
      });
      if (settings.mail && this.ctx.config.reports.mail) await this.reports.mail(report.id);
      await db.updateTable('inspections').set({ state: 'done', finished_at: this.ctx.now() }).where('id', '=', id).execute();
      this.ctx.log.info({ inspectionId: id, siteId, ...summary, commandId, agentOnline: facts !== undefined }, 'inspection done');
    } catch (err) {
      this.ctx.log.error({ err, inspectionId: id, siteId }, 'inspection failed');
      await db.updateTable('inspections').set({ state: 'failed', error: (err as Error).message.slice(0, 1000), finished_at: this.ctx.now() }).where('id', '=', id).execute();
    }
    return (await this.get(id)) as InspectionView;
  }

  #waitFor(timeoutMs: number): { wait(cmdId: string): Promise<CmdResultPayload | undefined> } {
    return {
      wait: (cmdId) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => done(undefined), timeoutMs);
          const done = (r: CmdResultPayload | undefined): void => {
            clearTimeout(timer);
            this.#waiters.delete(cmdId);
            resolve(r);
          };
          this.#waiters.set(cmdId, { resolve: done });
          // The answer may have been stored before the waiter was registered.
          void this.ctx.commands.get(cmdId).then((c) => {
            if (c !== undefined && (c.state === 'succeeded' || c.state === 'failed' || c.state === 'rejected')) {
              done({ id: c.id, type: 'inspect', state: c.state, at: c.updatedAt, ...(c.result ? { result: c.result } : {}), ...(c.error ? { error: c.error } : {}) });
            }
          });
        }),
    };
  }

  async #check(
    site: { id: string; name: string; timezone: string },
    agent: { id: string; online: number; last_seen: number | null } | undefined,
    settings: Awaited<ReturnType<InspectionStore['settings']>>,
    facts: InspectFacts | undefined,
    start: number,
    end: number,
    id: string,
  ): Promise<{ results: CheckResult[]; period: PeriodData }> {
    const templates = await this.store.templates();
    const month = new Date(zonedInstant(site.timezone, wallTime(site.timezone, start).day, 0) + 43_200_000).getUTCMonth() + 1;
    const inForce = templates.filter((t) => t.id === settings.templateId || (settings.seasonal.includes(t.id) && t.kind === 'seasonal' && (t.months ?? []).includes(month)));
    const enabled = new Set(inForce.flatMap((t) => t.checks));
    const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...Object.assign({}, ...inForce.map((t) => t.thresholds)) };
    const previous = await this.ctx.state.db
      .selectFrom('inspections')
      .select(['facts', 'results', 'created_at'])
      .where('site_id', '=', site.id)
      .where('state', '=', 'done')
      .where('id', '!=', id)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    const period = await gatherPeriod(this.ctx, site.id, start, end);
    const results = runChecks({
      siteName: site.name,
      facts,
      agentId: agent?.id ?? null,
      agentOnline: facts !== undefined,
      agentLastSeen: agent?.last_seen ?? null,
      hubVersion: HUB_VERSION,
      baselines: agent === undefined ? new Map() : await this.store.baselines(agent.id),
      matrix: await this.store.matrix(),
      allowedPorts: settings.allowedPorts,
      networkConfigured: { gateway: settings.network.gateway !== undefined, dns: (settings.network.dns ?? []).length > 0, ntp: (settings.network.ntp ?? []).length > 0 },
      thresholds,
      previousFacts: previous?.facts ? (JSON.parse(previous.facts) as InspectFacts) : undefined,
      previousAt: previous?.created_at,
      period,
      enabled,
      now: this.ctx.now(),
    });
    // A warn that was a warn in the previous inspection too escalates.
    const before = previous?.results ? (JSON.parse(previous.results) as CheckResult[]) : [];
    const warnedBefore = new Set(before.filter((r) => r.verdict === 'warn').map((r) => `${r.check}|${r.subject ?? ''}|${r.finding.key}`));
    for (const r of results) if (r.verdict === 'warn' && warnedBefore.has(`${r.check}|${r.subject ?? ''}|${r.finding.key}`)) r.repeated = true;
    return { results, period };
  }

  /** One ticket per failed (or escalated) check, unless the same one is still open. */
  async #openTickets(site: { id: string; customer_id: string; name: string }, agentId: string | null, results: CheckResult[], inspectionId: string): Promise<void> {
    const { db } = this.ctx.state;
    const { t } = translator('en');
    for (const r of results.filter((x) => x.verdict === 'fail' || x.repeated === true)) {
      const faultType = `inspection:${r.check}${r.subject ? `:${r.subject}` : ''}`.slice(0, 200);
      const open = await db.selectFrom('tickets').select('id').where('site_id', '=', site.id).where('fault_type', '=', faultType).where('state', 'in', ['new', 'assigned', 'scheduled', 'on-site']).executeTakeFirst();
      if (open !== undefined) continue;
      const finding = t(r.finding.key, r.finding.params);
      const fix = r.fix ? t(r.fix.key, r.fix.params) : '';
      this.ctx.tickets.openManual(
        {
          customerId: site.customer_id,
          siteId: site.id,
          agentId,
          deviceId: r.subject ?? null,
          title: `${r.repeated ? 'Repeated warning' : 'Inspection'}: ${t(`${r.check}.title`)}${r.subject ? ` (${r.subject})` : ''}`.slice(0, 200),
          description: `${finding}\n\nRecommended fix: ${fix}\n\nInspection ${inspectionId}.`,
          severity: r.verdict === 'fail' ? 'fault' : 'risk',
          channel: 'web',
          faultType,
          problemType: 'inspection',
        },
        SYSTEM_ACTOR,
      );
    }
  }

  async get(id: string): Promise<InspectionView | undefined> {
    const row = await this.ctx.state.db.selectFrom('inspections').selectAll().where('id', '=', id).executeTakeFirst();
    if (row === undefined) return undefined;
    const report = await this.ctx.state.db.selectFrom('reports').select('id').where('inspection_id', '=', id).orderBy('created_at', 'desc').executeTakeFirst();
    return {
      id: row.id,
      siteId: row.site_id,
      customerId: row.customer_id,
      agentId: row.agent_id,
      trigger: row.trigger,
      state: row.state,
      periodStart: row.period_start,
      periodEnd: row.period_end,
      commandId: row.command_id,
      agentOnline: row.agent_online === 1,
      summary: row.summary === null ? null : (JSON.parse(row.summary) as InspectionView['summary']),
      results: row.results === null ? null : (JSON.parse(row.results) as CheckResult[]),
      facts: row.facts === null ? null : (JSON.parse(row.facts) as InspectFacts),
      error: row.error,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
      reportId: report?.id ?? null,
    };
  }

  async list(filter: { siteId?: string | undefined; customerId?: string | undefined; limit?: number }): Promise<InspectionView[]> {
    let q = this.ctx.state.db.selectFrom('inspections').select('id').orderBy('created_at', 'desc').limit(filter.limit ?? 50);
    if (filter.siteId !== undefined) q = q.where('site_id', '=', filter.siteId);
    if (filter.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
    const ids = await q.execute();
    return (await Promise.all(ids.map((r) => this.get(r.id)))).filter((v): v is InspectionView => v !== undefined);
  }

  /** Approves the controllers' configuration of an inspection as the baseline. */
  async approveBaseline(inspectionId: string, by: string | null): Promise<{ devices: string[] }> {
    const insp = await this.get(inspectionId);
    if (insp === undefined) throw notFound('inspection', inspectionId);
    if (insp.facts === null || insp.agentId === null) throw conflict(`inspection ${inspectionId} has no configuration facts (the agent did not answer)`);
    const snaps = insp.facts.configuration.controllers.filter((c) => c.reachable && c.config !== undefined);
    await this.store.approveBaseline(insp.agentId, snaps, inspectionId, by);
    return { devices: snaps.map((s) => s.device) };
  }

  reportOf(id: string): Promise<ReportView | undefined> {
    return this.reports.get(id);
  }
}

/** The calendar month before `now` in the site's time zone. */
export function previousMonth(timeZone: string, now: number): { start: number; end: number } {
  const today = new Date(wallTime(timeZone, now).day * 86_400_000);
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const dayOf = (yy: number, mm: number): number => Math.floor(Date.UTC(yy, mm, 1) / 86_400_000);
  return { start: zonedInstant(timeZone, dayOf(y, m - 1), 0), end: zonedInstant(timeZone, dayOf(y, m), 0) };
}
