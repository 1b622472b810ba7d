/**
 * Acknowledgements, per agent, in the order messages arrived. The agent trims its outbox
 * up to the seq in an ack, so an ack may go out only when that message AND every earlier
 * one are stored. Stores finish out of order (events commit at once, telemetry may wait
 * for InfluxDB), so acks wait for their predecessors; when a store fails, no later seq is
 * acked until the failed one arrives again and is stored (the agent resends unacked
 * batches in order), or until `blockTimeoutMs` passes (a batch the agent dropped for
 * good must not stall its acks forever).
 */
import type { Logger } from 'pino';

interface Block {
  seq: number;
  since: number;
}

export class AckSequencer {
  readonly #chains = new Map<string, Promise<void>>();
  readonly #blocks = new Map<string, Block>();

  constructor(
    private readonly publish: (agentId: string, seq: number) => Promise<void>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly blockTimeoutMs = 5 * 60_000,
  ) {}

  /** Acks `seq` once `stored` resolves and every earlier message of the agent is acked. */
  track(agentId: string, seq: number, stored: Promise<unknown>): Promise<boolean> {
    stored.catch(() => undefined); // its failure is handled in order below
    const prev = this.#chains.get(agentId) ?? Promise.resolve();
    const next = prev.then(async (): Promise<boolean> => {
      try {
        await stored;
      } catch (err) {
        const cur = this.#blocks.get(agentId);
        if (cur === undefined || seq < cur.seq) this.#blocks.set(agentId, { seq, since: this.now() });
        this.log.warn({ agentId, seq, err: (err as Error).message }, 'not stored; acks held until it is resent');
        return false;
      }
      const block = this.#blocks.get(agentId);
      if (block !== undefined) {
        if (seq > block.seq && this.now() - block.since < this.blockTimeoutMs) return false;
        if (seq >= block.seq || this.now() - block.since >= this.blockTimeoutMs) this.#blocks.delete(agentId);
      }
      await this.publish(agentId, seq);
      return true;
    });
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.#chains.set(agentId, settled);
    void settled.then(() => {
      if (this.#chains.get(agentId) === settled) this.#chains.delete(agentId);
    });
    return next;
  }

  /** Resolves when every ack tracked so far has gone out (or been withheld). */
  async idle(): Promise<void> {
    await Promise.all([...this.#chains.values()]);
  }
}
