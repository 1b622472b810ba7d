/**
 * Handlers of hub commands (`cmd/{id}`), each answered on `cmd-result/{id}`. This issue
 * covers `rebirth` and `ping`; every other type is rejected as unsupported until its
 * handler exists (inspect, upgrade and config come later).
 */
import type { CmdPayload, CmdResultPayload } from '@ledwatch/protocols';
import { errorMessage } from './errors.js';

export interface CommandContext {
  /** Republishes status and inventory. */
  rebirth(): Promise<void>;
  now(): number;
}

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
    default:
      return {
        ...base,
        state: 'rejected',
        at: ctx.now(),
        error: { code: 'unsupported-command', message: `this agent does not handle ${cmd.type} commands yet` },
      };
  }
}

/** Remembers recent command ids so a redelivered command runs once. */
export class RecentIds {
  readonly #ids = new Set<string>();
  readonly #max: number;

  constructor(max = 256) {
    this.#max = max;
  }

  /** True the first time an id is seen. */
  add(id: string): boolean {
    if (this.#ids.has(id)) return false;
    this.#ids.add(id);
    if (this.#ids.size > this.#max) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
    return true;
  }
}
