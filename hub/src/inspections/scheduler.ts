/**
 * Fires the sites' inspection schedules with node-cron, in each site's time zone: one
 * cron task per distinct (expression, zone), so a thousand sites on the default schedule
 * cost one timer. Due sites run through a bounded queue (`inspections.concurrency`).
 * Runs missed while the hub was down are made up shortly after start-up.
 */
import nodeCron, { type ScheduledTask } from 'node-cron';
import type { HubContext } from '../context.js';
import { DEFAULT_CRON, isDue, parseCron, previousDue } from './cron.js';
import type { InspectionService } from './service.js';
import type { InspectionTrigger } from './tables.js';

const REFRESH_MS = 10 * 60_000;

export class InspectionScheduler {
  readonly #tasks = new Map<string, ScheduledTask>();
  readonly #queue: { siteId: string; trigger: InspectionTrigger; dueAt: number }[] = [];
  readonly #queued = new Set<string>();
  #active = 0;
  #timers: NodeJS.Timeout[] = [];
  #stopped = false;
  #drained: (() => void)[] = [];

  constructor(private readonly ctx: HubContext, private readonly service: InspectionService) {}

  async start(): Promise<void> {
    await this.refresh();
    this.#timers.push(setInterval(() => void this.refresh().catch((err: unknown) => this.ctx.log.warn({ err }, 'inspection schedules not refreshed')), REFRESH_MS).unref());
    this.#timers.push(setTimeout(() => void this.runMissed().catch((err: unknown) => this.ctx.log.warn({ err }, 'missed inspections not checked')), this.ctx.config.inspections.missedRunDelayS * 1000).unref());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    for (const task of this.#tasks.values()) await task.destroy();
    this.#tasks.clear();
    this.#queue.length = 0;
  }

  /** (Re)creates one cron task per distinct (expression, time zone) among the sites. */
  async refresh(): Promise<void> {
    const groups = await this.#groups();
    for (const [key, task] of this.#tasks) {
      if (!groups.has(key)) {
        await task.destroy();
        this.#tasks.delete(key);
      }
    }
    for (const [key, g] of groups) {
      if (this.#tasks.has(key)) continue;
      const task = nodeCron.schedule(g.cron, () => void this.fire(g.cron, g.timeZone, this.ctx.now()).catch((err: unknown) => this.ctx.log.error({ err }, 'inspection schedule failed')), { timezone: g.timeZone, name: `inspections ${key}`, noOverlap: false });
      this.#tasks.set(key, task);
    }
  }

  /** Queues every site of this (expression, zone) that is due at `at` (both day fields must hold). */
  async fire(cron: string, timeZone: string, at: number): Promise<number> {
    const spec = parseCron(cron);
    if (!isDue(spec, timeZone, at)) return 0;
    const groups = await this.#groups();
    const g = groups.get(`${cron}|${timeZone}`);
    for (const siteId of g?.sites ?? []) this.enqueue(siteId, 'schedule', at);
    return g?.sites.length ?? 0;
  }

  /** Runs each site whose latest scheduled time passed while the hub was down. */
  async runMissed(): Promise<string[]> {
    const now = this.ctx.now();
    const missed: string[] = [];
    for (const g of (await this.#groups()).values()) {
      const spec = parseCron(g.cron);
      const due = previousDue(spec, g.timeZone, now);
      if (due === undefined) continue;
      for (const siteId of g.sites) {
        const s = await this.service.store.settings(siteId);
        const created = g.createdAt.get(siteId) ?? now;
        if ((s.lastDueAt ?? created) < due) {
          missed.push(siteId);
          this.enqueue(siteId, 'missed', due);
        }
      }
    }
    if (missed.length > 0) this.ctx.log.info({ sites: missed.length }, 'running inspections missed while the hub was down');
    return missed;
  }

  enqueue(siteId: string, trigger: InspectionTrigger, dueAt: number): void {
    if (this.#stopped || this.#queued.has(siteId)) return;
    this.#queued.add(siteId);
    this.#queue.push({ siteId, trigger, dueAt });
    this.#pump();
  }

  /** Resolves when the queue is empty and nothing runs. */
  drained(): Promise<void> {
    if (this.#queue.length === 0 && this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #pump(): void {
    while (this.#active < this.ctx.config.inspections.concurrency && this.#queue.length > 0) {
      const job = this.#queue.shift() as { siteId: string; trigger: InspectionTrigger; dueAt: number };
      this.#active++;
      void (async () => {
        try {
          await this.service.store.setLastDue(job.siteId, job.dueAt);
          if (!this.service.isRunning(job.siteId)) await this.service.start(job.siteId, job.trigger);
        } catch (err) {
          this.ctx.log.error({ err, siteId: job.siteId }, 'scheduled inspection failed');
        } finally {
          this.#active--;
          this.#queued.delete(job.siteId);
          this.#pump();
          if (this.#queue.length === 0 && this.#active === 0) for (const r of this.#drained.splice(0)) r();
        }
      })();
    }
  }

  async #groups(): Promise<Map<string, { cron: string; timeZone: string; sites: string[]; createdAt: Map<string, number> }>> {
    const rows = await this.ctx.state.db
      .selectFrom('sites')
      .leftJoin('inspection_settings', 'inspection_settings.site_id', 'sites.id')
      .select(['sites.id', 'sites.timezone', 'sites.created_at', 'inspection_settings.cron', 'inspection_settings.enabled'])
      .execute();
    const out = new Map<string, { cron: string; timeZone: string; sites: string[]; createdAt: Map<string, number> }>();
    for (const r of rows) {
      if (r.enabled === 0) continue;
      const cron = r.cron ?? DEFAULT_CRON;
      const key = `${cron}|${r.timezone}`;
      let g = out.get(key);
      if (g === undefined) out.set(key, (g = { cron, timeZone: r.timezone, sites: [], createdAt: new Map() }));
      g.sites.push(r.id);
      g.createdAt.set(r.id, r.created_at);
    }
    return out;
  }
}
