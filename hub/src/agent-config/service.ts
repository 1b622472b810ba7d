/**
 * Remote configuration of agents: every push is a new version stored on the hub, sent as
 * a `config` command, and marked applied or rejected (with the agent's errors) from the
 * command result. A newer push supersedes an older one that was never answered.
 */
import type { CmdResultPayload, RemoteAgentConfig } from '@ledwatch/protocols';
import type { HubContext } from '../context.js';
import type { AgentConfigStatus } from '../db/index.js';

export interface ConfigVersionView {
  version: number;
  status: AgentConfigStatus;
  config: RemoteAgentConfig;
  commandId: string | null;
  errors: string[] | null;
  createdAt: number;
  createdBy: string | null;
  appliedAt: number | null;
}

export class AgentConfigService {
  constructor(private readonly ctx: HubContext) {
    ctx.commands.onResult((agentId, result) => this.#onResult(agentId, result));
  }

  async push(agentId: string, config: RemoteAgentConfig, createdBy: string | null): Promise<ConfigVersionView> {
    const { db } = this.ctx.state;
    const now = this.ctx.now();
    const last = await db.selectFrom('agent_configs').select((eb) => eb.fn.max('version').as('v')).where('agent_id', '=', agentId).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const stale = await db.selectFrom('agent_configs').select('command_id').where('agent_id', '=', agentId).where('status', '=', 'pending').execute();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('agent_configs').set({ status: 'superseded' }).where('agent_id', '=', agentId).where('status', '=', 'pending').execute();
      for (const s of stale) {
        if (s.command_id !== null) {
          await trx.updateTable('commands').set({ state: 'expired', updated_at: now }).where('id', '=', s.command_id).where('state', 'in', ['queued', 'sent']).execute();
        }
      }
      await trx
        .insertInto('agent_configs')
        .values({ agent_id: agentId, version, config: JSON.stringify(config), status: 'pending', command_id: null, errors: null, created_at: now, created_by: createdBy, applied_at: null })
        .execute();
    });
    const cmd = await this.ctx.commands.send(agentId, 'config', { version, config }, { createdBy });
    await db.updateTable('agent_configs').set({ command_id: cmd.id }).where('agent_id', '=', agentId).where('version', '=', version).execute();
    return (await this.get(agentId, version)) as ConfigVersionView;
  }

  async get(agentId: string, version: number): Promise<ConfigVersionView | undefined> {
    const row = await this.ctx.state.db.selectFrom('agent_configs').selectAll().where('agent_id', '=', agentId).where('version', '=', version).executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  async versions(agentId: string): Promise<ConfigVersionView[]> {
    const rows = await this.ctx.state.db.selectFrom('agent_configs').selectAll().where('agent_id', '=', agentId).orderBy('version', 'desc').execute();
    return rows.map(toView);
  }

  async #onResult(agentId: string, result: CmdResultPayload): Promise<void> {
    if (result.type !== 'config' || (result.state !== 'succeeded' && result.state !== 'rejected' && result.state !== 'failed')) return;
    const { db } = this.ctx.state;
    const row = await db.selectFrom('agent_configs').select(['version', 'status']).where('agent_id', '=', agentId).where('command_id', '=', result.id).executeTakeFirst();
    if (row === undefined) return;
    const now = this.ctx.now();
    if (result.state === 'succeeded') {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('agent_configs').set({ status: 'applied', applied_at: now, errors: null }).where('agent_id', '=', agentId).where('version', '=', row.version).execute();
        await trx.updateTable('agents').set({ config_version: row.version }).where('id', '=', agentId).execute();
      });
      this.ctx.log.info({ agentId, version: row.version }, 'agent applied config');
      return;
    }
    const issues = Array.isArray(result.result?.issues) ? (result.result.issues as unknown[]).map(String) : [result.error?.message ?? 'rejected'];
    await db.updateTable('agent_configs').set({ status: 'rejected', errors: JSON.stringify(issues) }).where('agent_id', '=', agentId).where('version', '=', row.version).execute();
    this.ctx.log.warn({ agentId, version: row.version, issues }, 'agent rejected config');
  }
}

function toView(row: {
  version: number;
  status: AgentConfigStatus;
  config: string;
  command_id: string | null;
  errors: string | null;
  created_at: number;
  created_by: string | null;
  applied_at: number | null;
}): ConfigVersionView {
  return {
    version: row.version,
    status: row.status,
    config: JSON.parse(row.config) as RemoteAgentConfig,
    commandId: row.command_id,
    errors: row.errors === null ? null : (JSON.parse(row.errors) as string[]),
    createdAt: row.created_at,
    createdBy: row.created_by,
    appliedAt: row.applied_at,
  };
}
