/**
 * Commands to agents, durable in the state database: queued while the agent is offline,
 * sent when it is online, resent at each birth until answered, and updated from its
 * `cmd-result` messages. Other services (remote config, inspections, upgrades) send
 * through here so every command has one history.
 */
import { randomBytes } from 'node:crypto';
import { type CmdPayload, type CmdResultPayload, type CommandType, encodePayload, topics } from '@ledwatch/protocols';
import type { Logger } from 'pino';
import type { BrokerLink } from '../broker/types.js';
import type { HubBus } from '../context.js';
import type { CommandState, StateDb } from '../db/index.js';

const TERMINAL = new Set<CommandState>(['succeeded', 'failed', 'rejected', 'expired']);

export interface SendOptions {
  createdBy?: string | null;
  /** The agent ignores the command after this long. */
  expiresInMs?: number;
}

export interface CommandView {
  id: string;
  agentId: string;
  type: string;
  params: Record<string, unknown> | null;
  state: CommandState;
  issuedAt: number;
  sentAt: number | null;
  updatedAt: number;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export type ResultListener = (agentId: string, result: CmdResultPayload) => void | Promise<void>;

export class CommandService {
  #link: BrokerLink | undefined;
  readonly #listeners: ResultListener[] = [];

  constructor(
    private readonly state: StateDb,
    private readonly bus: HubBus,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    bus.on('agent-online', (agentId) => {
      this.resendPending(agentId).catch((err: unknown) => this.log.warn({ err, agentId }, 'could not resend commands'));
    });
  }

  /** Connects the service to the broker; commands queued before are sent at the agents' next birth. */
  attach(link: BrokerLink): void {
    this.#link = link;
  }

  /** Called with every result, after the command row is updated (e.g. remote config bookkeeping). */
  onResult(listener: ResultListener): void {
    this.#listeners.push(listener);
  }

  async send(agentId: string, type: CommandType, params: Record<string, unknown> | undefined, opts: SendOptions = {}): Promise<CommandView> {
    const now = this.now();
    const id = `${type}-${randomBytes(6).toString('hex')}`;
    await this.state.db
      .insertInto('commands')
      .values({
        id,
        agent_id: agentId,
        type,
        params: params === undefined ? null : JSON.stringify(params),
        state: 'queued',
        issued_at: now,
        sent_at: null,
        updated_at: now,
        expires_at: opts.expiresInMs === undefined ? null : now + opts.expiresInMs,
        result: null,
        error_code: null,
        error_message: null,
        created_by: opts.createdBy ?? null,
      })
      .execute();
    const online = await this.state.db.selectFrom('agents').select('online').where('id', '=', agentId).executeTakeFirst();
    if (online?.online === 1) await this.#publish(id);
    return (await this.get(id)) as CommandView;
  }

  /** Sends every unanswered command of an agent again, oldest first (at its birth). */
  async resendPending(agentId: string): Promise<number> {
    const rows = await this.state.db
      .selectFrom('commands')
      .select(['id', 'expires_at'])
      .where('agent_id', '=', agentId)
      .where('state', 'in', ['queued', 'sent'])
      .orderBy('issued_at')
      .execute();
    let sent = 0;
    for (const row of rows) {
      if (row.expires_at !== null && row.expires_at < this.now()) {
        await this.#update(row.id, { state: 'expired' });
        continue;
      }
      if (await this.#publish(row.id)) sent++;
    }
    return sent;
  }

  async handleResult(agentId: string, result: CmdResultPayload): Promise<void> {
    const row = await this.state.db.selectFrom('commands').select(['agent_id', 'state']).where('id', '=', result.id).executeTakeFirst();
    if (row === undefined || row.agent_id !== agentId) {
      this.log.info({ agentId, cmdId: result.id, state: result.state }, 'result of a command the hub did not send through its log');
    } else if (!TERMINAL.has(row.state)) {
      await this.#update(result.id, {
        state: result.state,
        result: result.result === undefined ? null : JSON.stringify(result.result),
        error_code: result.error?.code ?? null,
        error_message: result.error?.message ?? null,
      });
    }
    for (const l of this.#listeners) await l(agentId, result);
  }

  async get(id: string): Promise<CommandView | undefined> {
    const row = await this.state.db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toView(row);
  }

  async list(agentId: string, limit = 50): Promise<CommandView[]> {
    const rows = await this.state.db.selectFrom('commands').selectAll().where('agent_id', '=', agentId).orderBy('issued_at', 'desc').limit(limit).execute();
    return rows.map(toView);
  }

  async #publish(id: string): Promise<boolean> {
    const link = this.#link;
    const row = await this.state.db.selectFrom('commands').selectAll().where('id', '=', id).executeTakeFirst();
    if (link === undefined || row === undefined) return false;
    const cmd: CmdPayload = { id: row.id, type: row.type as CommandType, issuedAt: row.issued_at };
    if (row.expires_at !== null) cmd.expiresAt = row.expires_at;
    if (row.params !== null) cmd.params = JSON.parse(row.params) as Record<string, unknown>;
    await link.publish(topics.cmd(row.agent_id, row.id), encodePayload('cmd', cmd), { qos: 1 });
    if (row.state === 'queued') await this.#update(id, { state: 'sent', sent_at: this.now() });
    this.log.info({ agentId: row.agent_id, cmdId: id, type: row.type }, 'command sent');
    return true;
  }

  async #update(id: string, values: Partial<{ state: CommandState; sent_at: number; result: string | null; error_code: string | null; error_message: string | null }>): Promise<void> {
    await this.state.db.updateTable('commands').set({ ...values, updated_at: this.now() }).where('id', '=', id).execute();
  }
}

function toView(row: {
  id: string;
  agent_id: string;
  type: string;
  params: string | null;
  state: CommandState;
  issued_at: number;
  sent_at: number | null;
  updated_at: number;
  result: string | null;
  error_code: string | null;
  error_message: string | null;
}): CommandView {
  return {
    id: row.id,
    agentId: row.agent_id,
    type: row.type,
    params: row.params === null ? null : (JSON.parse(row.params) as Record<string, unknown>),
    state: row.state,
    issuedAt: row.issued_at,
    sentAt: row.sent_at,
    updatedAt: row.updated_at,
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
  };
}
