/**
 * Handlers of hub commands (`cmd/{id}`), each answered on `cmd-result/{id}`. This issue
 * covers `rebirth`, `ping`, `config`, `inspect` and `upgrade`; every other type is rejected
 * as unsupported.
 */
import type { CmdPayload, CmdResultPayload } from '@ledwatch/protocols';
import { errorMessage } from './errors.js';

export interface CommandContext {
  /** Republishes status and inventory. */
  rebirth(): Promise<void>;
  /** Applies a pushed configuration (`config` command params); absent = not supported. */
  applyConfig?: ApplyConfig;
  /** Collects inspection facts (`inspect` command params); absent = not supported. */
  inspect?: InspectHandler;
  /** Handles `upgrade` commands (see updater/); absent = not supported. */
  upgrade?: UpgradeHandler;
  now(): number;
}

/** Answers an `inspect` command with the facts (protocols/src/contract/inspect.ts). */
export type InspectHandler = (params: Record<string, unknown> | undefined) => Promise<Record<string, unknown>>;

/** Starts an upgrade; answers its first state (accepted, or rejected with a code). */
export type UpgradeHandler = (cmd: CmdPayload) => Promise<CmdResultPayload>;

/** Applies a pushed config. */
export type ApplyConfig = (params: Record<string, unknown> | undefined) => Promise<ConfigOutcome>;

/** What applying a pushed config came to: applied, or refused with every problem. */
export type ConfigOutcome = { ok: true; version: number; devices: number } | { ok: false; code: string; message: string; issues: string[] };

export async function handleCommand(cmd: CmdPayload, ctx: CommandContext): Promise<CmdResultPayload> {
  const base = { id: cmd.id, type: cmd.type };
  switch (cmd.type) {
    case 'ping':
      return { ...base, state: 'succeeded', at: ctx.now(), result: { at: ctx.now() } };
    case 'rebirth':
      try {
        await ctx.rebirth();
        return { ...base, state: 'succeeded', at: ctx.now() };
      } catch (err) {
        return { ...base, state: 'failed', at: ctx.now(), error: { code: 'rebirth-failed', message: errorMessage(err).slice(0, 2000) } };
      }
    case 'config': {
      if (ctx.applyConfig === undefined) break;
      try {
        const outcome = await ctx.applyConfig(cmd.params);
        if (outcome.ok) return { ...base, state: 'succeeded', at: ctx.now(), result: { version: outcome.version, devices: outcome.devices } };
        return { ...base, state: 'rejected', at: ctx.now(), error: { code: outcome.code, message: outcome.message.slice(0, 2000) }, result: { issues: outcome.issues.slice(0, 100) } };
      } catch (err) {
        return { ...base, state: 'failed', at: ctx.now(), error: { code: 'config-apply-failed', message: errorMessage(err).slice(0, 2000) } };
      }
    }
    case 'inspect': {
      if (ctx.inspect === undefined) break;
      try {
        return { ...base, state: 'succeeded', at: ctx.now(), result: { facts: await ctx.inspect(cmd.params) } };
      } catch (err) {
        const code = typeof (err as { code?: unknown }).code === 'string' ? String((err as { code: string }).code).slice(0, 64) : 'inspect-failed';
        return { ...base, state: 'failed', at: ctx.now(), error: { code, message: errorMessage(err).slice(0, 2000) } };
      }
    }
    case 'upgrade': {
      if (ctx.upgrade === undefined) break;
      try {
        return await ctx.upgrade(cmd);
      } catch (err) {
        return { ...base, state: 'failed', at: ctx.now(), stage: 'failed', error: { code: 'upgrade-failed', message: errorMessage(err).slice(0, 2000) } };
      }
    }
    default:
      break;
  }
  return {
    ...base,
    state: 'rejected',
    at: ctx.now(),
    error: { code: 'unsupported-command', message: `this agent does not handle ${cmd.type} commands yet` },
  };
}

/**
 * Remembers recent commands so a redelivered one runs once: the hub resends unanswered
 * commands at every birth, and gets the first answer again instead of a second run.
 */
export class RecentCommands {
  readonly #results = new Map<string, Promise<CmdResultPayload>>();
  readonly #max: number;

  constructor(max = 256) {
    this.#max = max;
  }

  /** The result of an id already seen (possibly still running), or undefined. */
  get(id: string): Promise<CmdResultPayload> | undefined {
    return this.#results.get(id);
  }

  remember(id: string, result: Promise<CmdResultPayload>): void {
    this.#results.set(id, result);
    if (this.#results.size > this.#max) {
      const oldest = this.#results.keys().next().value;
      if (oldest !== undefined) this.#results.delete(oldest);
    }
  }
}
