/**
 * The rollouts engine: resolves the targets, skips incompatible agents with the reason,
 * splits the rest into waves and sends each agent of the current wave an `upgrade`
 * command (inside its site's upgrade window). Agents report their stages; when a wave has
 * ended with enough healthy agents the next starts; too many failures pause or abort.
 */
import { checkVersionStep, incompatibilities, ReleaseError, type CmdResultPayload, type SignedManifest } from '@ledwatch/protocols';
import type { HubContext } from '../context.js';
import type { RolloutState, RolloutTargetState } from '../db/index.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { ReleaseKeyService } from './keys.js';
import { assignWaves, inWindow, normalizeSpec, type RolloutSpec, type RolloutSpecInput } from './spec.js';
import type { ReleaseStore } from './store.js';

export interface RolloutTargetView {
  agentId: string;
  wave: number;
  state: RolloutTargetState;
  stage: string | null;
  commandId: string | null;
  reason: string | null;
  errorCode: string | null;
  fromVersion: string | null;
}

export interface RolloutView {
  id: string;
  releaseId: string;
  state: RolloutState;
  currentWave: number;
  reason: string | null;
  spec: RolloutSpec;
  createdAt: number;
  updatedAt: number;
  waves: { index: number; name: string | null; total: number; succeeded: number; failed: number; inProgress: number; pending: number }[];
  skipped: { agentId: string; reason: string }[];
  targets: RolloutTargetView[];
}

const FINISHED: readonly RolloutTargetState[] = ['succeeded', 'failed', 'skipped', 'cancelled'];
let counter = 0;

export class RolloutEngine {
  #timer: NodeJS.Timeout | undefined;
  #busy = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: HubContext,
    private readonly releases: ReleaseStore,
    private readonly keys: ReleaseKeyService,
    /** Base URL agents reach this hub's HTTP API at. */
    private readonly baseUrl: () => string,
  ) {
    ctx.commands.onResult((agentId, result) => this.#onResult(agentId, result));
  }

  /** Re-checks running rollouts every `everyMs` (upgrade windows opening). */
  start(everyMs = 30_000): void {
    this.#timer = setInterval(() => void this.tick(), everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async create(releaseId: string, input: RolloutSpecInput, createdBy: string | null): Promise<RolloutView> {
    const spec = normalizeSpec(input);
    const release = await this.releases.get(releaseId);
    if (release === undefined) throw notFound('release', releaseId);
    if (!release.ready) throw conflict(`release ${releaseId} has no artifact yet; upload it first`);
    if (release.yankedAt !== null) throw conflict(`release ${releaseId} is yanked`);
    const t = spec.targets;
    if ([t.customerIds, t.siteIds, t.tags, t.agentIds].every((l) => l === undefined || l.length === 0)) throw invalid('body.targets', 'name at least one customer, site, tag or agent');
    const { db } = this.ctx.state;
    let q = db
      .selectFrom('agents')
      .innerJoin('sites', 'sites.id', 'agents.site_id')
      .select(['agents.id', 'agents.version', 'agents.platform', 'sites.customer_id', 'agents.site_id'])
      .where('agents.revoked_at', 'is', null);
    q = q.where((eb) => {
      const ors = [];
      if (t.customerIds?.length) ors.push(eb('sites.customer_id', 'in', t.customerIds));
      if (t.siteIds?.length) ors.push(eb('agents.site_id', 'in', t.siteIds));
      if (t.agentIds?.length) ors.push(eb('agents.id', 'in', t.agentIds));
      if (t.tags?.length) ors.push(eb('agents.id', 'in', eb.selectFrom('agent_tags').select('agent_id').where('tag', 'in', t.tags)));
      return eb.or(ors);
    });
    const agents = await q.orderBy('agents.id').execute();
    if (agents.length === 0) throw invalid('body.targets', 'no agent matches these targets');
    const manifest = release.manifest;
    const eligible: string[] = [];
    const skipped: { agentId: string; reason: string; from: string | null }[] = [];
    for (const a of agents) {
      const [os, arch] = (a.platform ?? '').split('-');
      const models = await db.selectFrom('devices').select('model').where('agent_id', '=', a.id).where('model', 'is not', null).execute();
      const reasons = incompatibilities(manifest, {
        ...(os ? { os } : {}),
        ...(arch ? { arch } : {}),
        agentVersion: a.version,
        ...(manifest.compatibility.controllerModels ? { models: models.map((m) => m.model as string) } : {}),
      });
      if (manifest.kind === 'agent' && a.version !== null) {
        try {
          checkVersionStep(manifest, a.version);
        } catch (err) {
          if (!(err instanceof ReleaseError)) throw err;
          reasons.push(err.code === 'already-installed' ? `already on ${a.version}` : `agent ${a.version} is newer (${err.code})`);
        }
      }
      if (reasons.length > 0) skipped.push({ agentId: a.id, reason: reasons.join('; '), from: a.version });
      else eligible.push(a.id);
    }
    const id = `ro-${Date.now().toString(36)}${(counter++).toString(36)}`;
    const now = this.ctx.now();
    const waves = assignWaves(eligible, spec.waves);
    const version = new Map(agents.map((a) => [a.id, a.version]));
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('rollouts')
        .values({ id, release_id: releaseId, state: 'running', spec: JSON.stringify(spec), current_wave: 0, reason: null, created_at: now, updated_at: now, created_by: createdBy })
        .execute();
      const rows = [
        ...waves.flatMap((ids, wave) => ids.map((agentId) => ({ agentId, wave, state: 'pending' as const, reason: null }))),
        ...skipped.map((s) => ({ agentId: s.agentId, wave: -1, state: 'skipped' as const, reason: s.reason })),
      ];
      for (const r of rows) {
        await trx
          .insertInto('rollout_targets')
          .values({ rollout_id: id, agent_id: r.agentId, wave: r.wave, state: r.state, stage: null, command_id: null, reason: r.reason, error_code: null, from_version: version.get(r.agentId) ?? null, updated_at: now })
          .execute();
      }
    });
    this.ctx.log.info({ rolloutId: id, releaseId, eligible: eligible.length, skipped: skipped.length, waves: waves.map((w) => w.length) }, 'rollout created');
    await this.#advance(id);
    return (await this.get(id)) as RolloutView;
  }

  async pause(id: string): Promise<RolloutView> {
    const r = await this.#row(id);
    if (r.state !== 'running') throw conflict(`rollout ${id} is ${r.state}, not running`);
    await this.#setState(id, 'paused', 'paused by a user');
    return (await this.get(id)) as RolloutView;
  }

  async resume(id: string): Promise<RolloutView> {
    const r = await this.#row(id);
    if (r.state !== 'paused') throw conflict(`rollout ${id} is ${r.state}, not paused`);
    await this.#setState(id, 'running', null);
    await this.#advance(id);
    return (await this.get(id)) as RolloutView;
  }

  async cancel(id: string): Promise<RolloutView> {
    const r = await this.#row(id);
    if (r.state !== 'running' && r.state !== 'paused') throw conflict(`rollout ${id} is already ${r.state}`);
    await this.#stopRollout(id, 'cancelled', 'cancelled by a user');
    return (await this.get(id)) as RolloutView;
  }

  async list(): Promise<RolloutView[]> {
    const rows = await this.ctx.state.db.selectFrom('rollouts').select('id').orderBy('created_at', 'desc').execute();
    return Promise.all(rows.map(async (r) => (await this.get(r.id)) as RolloutView));
  }

  async get(id: string): Promise<RolloutView | undefined> {
    const { db } = this.ctx.state;
    const r = await db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
    if (r === undefined) return undefined;
    const spec = JSON.parse(r.spec) as RolloutSpec;
    const targets = (await db.selectFrom('rollout_targets').selectAll().where('rollout_id', '=', id).orderBy('wave').orderBy('agent_id').execute()).map((t) => ({
      agentId: t.agent_id,
      wave: t.wave,
      state: t.state,
      stage: t.stage,
      commandId: t.command_id,
      reason: t.reason,
      errorCode: t.error_code,
      fromVersion: t.from_version,
    }));
    const waves = spec.waves.map((w, index) => {
      const of = targets.filter((t) => t.wave === index);
      return {
        index,
        name: w.name ?? null,
        total: of.length,
        succeeded: of.filter((t) => t.state === 'succeeded').length,
        failed: of.filter((t) => t.state === 'failed').length,
        inProgress: of.filter((t) => t.state === 'sent').length,
        pending: of.filter((t) => t.state === 'pending' || t.state === 'waiting-window').length,
      };
    });
    return {
      id: r.id,
      releaseId: r.release_id,
      state: r.state,
      currentWave: r.current_wave,
      reason: r.reason,
      spec,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      waves,
      skipped: targets.filter((t) => t.state === 'skipped').map((t) => ({ agentId: t.agentId, reason: t.reason ?? '' })),
      targets,
    };
  }

  /** One pass over the running rollouts: windows that opened, agents that went silent. */
  async tick(): Promise<void> {
    const rows = await this.ctx.state.db.selectFrom('rollouts').select('id').where('state', '=', 'running').execute();
    for (const r of rows) await this.#advance(r.id).catch((err: unknown) => this.ctx.log.warn({ err, rolloutId: r.id }, 'rollout step failed'));
  }

  /** One step at a time per rollout: results arriving together must not double-send. */
  #advance(id: string): Promise<void> {
    const prev = this.#busy.get(id) ?? Promise.resolve();
    const next = prev.then(() => this.#step(id));
    const settled = next.catch(() => undefined);
    this.#busy.set(id, settled);
    void settled.then(() => {
      if (this.#busy.get(id) === settled) this.#busy.delete(id);
    });
    return next;
  }

  async #step(id: string): Promise<void> {
    const { db } = this.ctx.state;
    const r = await this.#row(id);
    if (r.state !== 'running') return;
    const spec = JSON.parse(r.spec) as RolloutSpec;
    const stale = this.ctx.now() - (spec.stageTimeoutS ?? 3600) * 1000;
    const silent = await db.selectFrom('rollout_targets').select('command_id').where('rollout_id', '=', id).where('state', '=', 'sent').where('updated_at', '<', stale).execute();
    for (const t of silent) {
      // Not delivered yet (agent offline): withdrawn, so it cannot run after being counted as failed.
      if (t.command_id !== null) await db.updateTable('commands').set({ state: 'expired', updated_at: this.ctx.now() }).where('id', '=', t.command_id).where('state', '=', 'queued').execute();
    }
    await db
      .updateTable('rollout_targets')
      .set({ state: 'failed', error_code: 'no-answer', reason: `no outcome within ${spec.stageTimeoutS ?? 3600} s`, updated_at: this.ctx.now() })
      .where('rollout_id', '=', id)
      .where('state', '=', 'sent')
      .where('updated_at', '<', stale)
      .execute();
    const all = await db.selectFrom('rollout_targets').selectAll().where('rollout_id', '=', id).execute();
    const failedTotal = all.filter((t) => t.state === 'failed').length;
    const wave = all.filter((t) => t.wave === r.current_wave);
    const waveFailed = wave.filter((t) => t.state === 'failed').length;
    const { maxFailures, maxFailurePercent, action } = spec.failure;
    const tooMany =
      (maxFailures !== undefined && failedTotal >= maxFailures) || (maxFailurePercent !== undefined && wave.length > 0 && (waveFailed / wave.length) * 100 >= maxFailurePercent);
    if (tooMany) {
      const reason = `${failedTotal} agent(s) failed to upgrade (wave ${r.current_wave}: ${waveFailed} of ${wave.length})`;
      if (action === 'abort') await this.#stopRollout(id, 'aborted', reason);
      else await this.#setState(id, 'paused', reason);
      this.ctx.log.warn({ rolloutId: id, reason, action }, 'rollout stopped by failures');
      return;
    }
    const pending = wave.filter((t) => t.state === 'pending' || t.state === 'waiting-window');
    if (pending.length > 0) {
      const release = await this.releases.get(r.release_id);
      if (release === undefined || release.yankedAt !== null) {
        await this.#stopRollout(id, 'aborted', `release ${r.release_id} was yanked`);
        return;
      }
      const signed = await this.releases.signed(r.release_id);
      for (const t of pending) await this.#send(id, t.agent_id, r.release_id, signed, spec);
    }
    const done = wave.every((t) => FINISHED.includes(t.state));
    if (!done) return;
    const counted = wave.filter((t) => t.state !== 'skipped' && t.state !== 'cancelled');
    const ok = counted.filter((t) => t.state === 'succeeded').length;
    if (counted.length > 0 && (ok / counted.length) * 100 < spec.successPercent) {
      await this.#setState(id, 'paused', `wave ${r.current_wave}: ${ok} of ${counted.length} healthy, below the ${spec.successPercent}% needed to go on`);
      return;
    }
    const last = Math.max(...all.map((t) => t.wave), spec.waves.length - 1);
    if (r.current_wave >= last) {
      await this.#setState(id, 'completed', null);
      this.ctx.log.info({ rolloutId: id }, 'rollout completed');
      return;
    }
    await db.updateTable('rollouts').set({ current_wave: r.current_wave + 1, updated_at: this.ctx.now() }).where('id', '=', id).execute();
    this.ctx.log.info({ rolloutId: id, wave: r.current_wave + 1 }, 'rollout advanced to the next wave');
    await this.#step(id);
  }

  async #send(rolloutId: string, agentId: string, releaseId: string, signed: SignedManifest, spec: RolloutSpec): Promise<void> {
    const { db } = this.ctx.state;
    const site = await db.selectFrom('agents').innerJoin('sites', 'sites.id', 'agents.site_id').select('sites.timezone').where('agents.id', '=', agentId).executeTakeFirst();
    const now = this.ctx.now();
    if (!inWindow(spec.window, site?.timezone ?? 'UTC', now)) {
      await db.updateTable('rollout_targets').set({ state: 'waiting-window', updated_at: now }).where('rollout_id', '=', rolloutId).where('agent_id', '=', agentId).execute();
      return;
    }
    const base = this.baseUrl();
    const keys = await this.keys.forAgents();
    const params = {
      releaseId,
      signed,
      artifactUrl: `${base}/api/releases/${encodeURIComponent(releaseId)}/artifact`,
      reportUrl: `${base}/api/agent/cmd-results`,
      keys: keys.keys,
      ...(keys.announcements.length > 0 ? { announcements: keys.announcements } : {}),
    };
    const cmd = await this.ctx.commands.send(agentId, 'upgrade', params, { createdBy: `rollout:${rolloutId}` });
    await db.updateTable('rollout_targets').set({ state: 'sent', stage: 'queued', command_id: cmd.id, updated_at: now }).where('rollout_id', '=', rolloutId).where('agent_id', '=', agentId).execute();
  }

  async #onResult(agentId: string, result: CmdResultPayload): Promise<void> {
    if (result.type !== 'upgrade') return;
    const { db } = this.ctx.state;
    const t = await db.selectFrom('rollout_targets').selectAll().where('command_id', '=', result.id).where('agent_id', '=', agentId).executeTakeFirst();
    if (t === undefined || FINISHED.includes(t.state)) return;
    const stage = result.stage ?? result.state;
    let state: RolloutTargetState = t.state;
    if (result.state === 'succeeded') state = 'succeeded';
    else if (result.state === 'failed' || result.state === 'rejected') state = result.error?.code === 'already-installed' ? 'succeeded' : 'failed';
    await db
      .updateTable('rollout_targets')
      .set({ state, stage, error_code: result.error?.code ?? null, reason: result.error?.message ?? result.message ?? null, updated_at: this.ctx.now() })
      .where('rollout_id', '=', t.rollout_id)
      .where('agent_id', '=', agentId)
      .execute();
    if (state !== t.state) await this.#advance(t.rollout_id);
  }

  async #stopRollout(id: string, state: 'aborted' | 'cancelled', reason: string): Promise<void> {
    const now = this.ctx.now();
    await this.ctx.state.db.transaction().execute(async (trx) => {
      await trx.updateTable('rollouts').set({ state, reason, updated_at: now }).where('id', '=', id).execute();
      await trx.updateTable('rollout_targets').set({ state: 'cancelled', reason, updated_at: now }).where('rollout_id', '=', id).where('state', 'in', ['pending', 'waiting-window']).execute();
      // Commands an offline agent has not received yet are withdrawn; an install under way runs to its end.
      const undelivered = await trx
        .selectFrom('rollout_targets')
        .innerJoin('commands', 'commands.id', 'rollout_targets.command_id')
        .select(['rollout_targets.agent_id', 'commands.id'])
        .where('rollout_targets.rollout_id', '=', id)
        .where('commands.state', '=', 'queued')
        .execute();
      for (const u of undelivered) {
        await trx.updateTable('commands').set({ state: 'expired', updated_at: now }).where('id', '=', u.id).execute();
        await trx.updateTable('rollout_targets').set({ state: 'cancelled', reason, updated_at: now }).where('rollout_id', '=', id).where('agent_id', '=', u.agent_id).execute();
      }
    });
  }

  async #setState(id: string, state: RolloutState, reason: string | null): Promise<void> {
    await this.ctx.state.db.updateTable('rollouts').set({ state, reason, updated_at: this.ctx.now() }).where('id', '=', id).execute();
  }

  async #row(id: string) {
    const r = await this.ctx.state.db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
    if (r === undefined) throw notFound('rollout', id);
    return r;
  }
}
