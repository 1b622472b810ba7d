/**
 * Acknowledgements, per agent. The ack is cumulative — the agent trims its outbox up to
 * the acked seq — so a seq may be acked only when it and every batch before it in the
 * agent's outbox are stored. Stores finish out of order (events commit at once, telemetry
 * may wait for InfluxDB), a store can fail, and a broker can lose a batch on its way here
 * (a queue limit, a crash without persistence): seq order alone cannot tell a lost batch
 * from one the agent already had acked or dropped by its outbox bounds.
 *
 * So each batch names `prev`, the seq of the batch before it in the agent's outbox when it
 * was sent (absent when it was the oldest there). A batch is *covered* when it is settled
 * (stored, or refused for good because it breaks the contract) and its `prev` is absent,
 * at or below the highest covered seq, or covered itself. The hub acks the highest covered
 * seq. A gap — a lost batch, a failed store — holds the acks back until the agent sends its
 * unacked window again after its ack timeout, oldest first (whose `prev` is absent), so
 * nothing is trimmed unstored and nothing stalls for good. Batches without `prev` (agents
 * before contract 1.1) are covered on their own, as before.
 */
import type { Logger } from 'pino';

interface AgentAcks {
  /** Highest covered seq; -1 before the first. */
  covered: number;
  /** Settled batches waiting for their prev: seq → prev. */
  waiting: Map<number, number>;
}

/** Settled batches kept waiting per agent at most; beyond that the oldest are forgotten (the agent resends them). */
const MAX_WAITING = 4096;

export class AckTracker {
  readonly #agents = new Map<string, AgentAcks>();
  readonly #sending = new Set<Promise<void>>();

  constructor(
    private readonly publish: (agentId: string, seq: number) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** A batch is stored (or refused for good): acks the highest covered seq if it rose. */
  settle(agentId: string, seq: number, prev?: number): void {
    let a = this.#agents.get(agentId);
    if (a === undefined) {
      a = { covered: -1, waiting: new Map() };
      this.#agents.set(agentId, a);
    }
    if (seq <= a.covered) {
      this.#send(agentId, a.covered); // sent again: its ack was probably lost
      return;
    }
    if (prev !== undefined && prev > a.covered) {
      a.waiting.set(seq, prev);
      if (a.waiting.size > MAX_WAITING) a.waiting.delete(a.waiting.keys().next().value as number);
      this.log.debug({ agentId, seq, prev, covered: a.covered }, 'batch stored; ack waits for an earlier batch');
      return;
    }
    a.covered = seq;
    for (let changed = true; changed; ) {
      changed = false;
      for (const [s, p] of a.waiting) {
        if (s <= a.covered) a.waiting.delete(s);
        else if (p <= a.covered) {
          a.covered = s;
          a.waiting.delete(s);
          changed = true;
        }
      }
    }
    this.#send(agentId, a.covered);
  }

  /** The agent disconnected: what waits is resent on its next connection anyway. */
  forget(agentId: string): void {
    this.#agents.get(agentId)?.waiting.clear();
  }

  /** Highest seq acked to the agent so far (for tests and diagnostics). */
  covered(agentId: string): number | undefined {
    const c = this.#agents.get(agentId)?.covered;
    return c === undefined || c < 0 ? undefined : c;
  }

  /** Resolves when every ack published so far has gone out. */
  async idle(): Promise<void> {
    while (this.#sending.size > 0) await Promise.all([...this.#sending]);
  }

  #send(agentId: string, seq: number): void {
    const p = this.publish(agentId, seq).catch((err: unknown) => {
      this.log.warn({ agentId, seq, err: (err as Error).message }, 'could not publish an ack; the agent will send the batch again');
    });
    this.#sending.add(p);
    void p.finally(() => this.#sending.delete(p));
  }
}
