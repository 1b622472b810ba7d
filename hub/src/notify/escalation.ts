/**
 * Escalation steps, persisted in `notify_escalations`. A request that carries an
 * `ackedCheck` gets one pending row per configured step (level N due `afterMin` after the
 * first notice; a later request for the same key does not push the due time back). When a
 * row falls due, the matter is checked: acknowledged → every pending step of the key is
 * closed as 'acked'; not acknowledged → the stored request goes to the level-N subscribers.
 *
 * Restarts: the rows survive; the functions do not. After a restart the ack check comes
 * from {@link Escalations.registerAckCheck} for the key's prefix (e.g. 'alarm:'), and when
 * none is registered the step fires: a needless reminder beats a fault nobody hears of.
 * One timer, armed for the earliest due row and at most a minute ahead, drives it all.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/index.js';
import type { AckCheck, NotifyRequest, StoredRequest } from './types.js';

export interface EscalationOptions {
  db: Kysely<DB>;
  log: Logger;
  now: () => number;
  steps: readonly { afterMin: number }[];
  /** Sends the request to the subscribers of `level`. */
  fire: (req: StoredRequest, level: number) => Promise<void>;
}

const MAX_TIMER_MS = 60_000;

export class Escalations {
  readonly #o: EscalationOptions;
  readonly #checks = new Map<string, () => Promise<boolean>>();
  readonly #prefixChecks = new Map<string, AckCheck>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #closed = true;

  constructor(opts: EscalationOptions) {
    this.#o = opts;
  }

  registerAckCheck(prefix: string, check: AckCheck): void {
    this.#prefixChecks.set(prefix, check);
  }

  /** Adds the missing pending steps of the request's key (only when it has an ackedCheck). */
  async schedule(req: NotifyRequest): Promise<void> {
    const { ackedCheck, ...stored } = req;
    if (ackedCheck === undefined || this.#o.steps.length === 0) return;
    this.#checks.set(req.key, ackedCheck);
    const now = this.#o.now();
    const request = JSON.stringify(stored);
    const rows = this.#o.steps.map((s, i) => ({ key: req.key, level: i + 1, due_at: now + Math.round(s.afterMin * 60_000), request, status: 'pending' as const, created_at: now, updated_at: now }));
    await this.#o.db.insertInto('notify_escalations').values(rows).orIgnore().execute(); // one pending row per (key, level)
    this.#arm();
  }

  /** Closes the pending steps of a key (e.g. the alarm was acknowledged or cleared). */
  async cancel(key: string, status: 'cancelled' | 'acked' = 'cancelled'): Promise<number> {
    this.#checks.delete(key);
    const res = await this.#o.db
      .updateTable('notify_escalations')
      .set({ status, updated_at: this.#o.now() })
      .where('key', '=', key)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** Handles every step due now; returns how many fired. Runs one at a time. */
  async runDue(): Promise<number> {
    while (this.#running !== undefined) await this.#running.catch(() => 0);
    this.#running = this.#runDue();
    try {
      return await this.#running;
    } finally {
      this.#running = undefined;
      this.#arm();
    }
  }

  async #runDue(): Promise<number> {
    const due = await this.#o.db
      .selectFrom('notify_escalations')
      .selectAll()
      .where('status', '=', 'pending')
      .where('due_at', '<=', this.#o.now())
      .orderBy('due_at')
      .orderBy('level')
      .execute();
    let fired = 0;
    for (const row of due) {
      const still = await this.#o.db.selectFrom('notify_escalations').select('status').where('id', '=', row.id).executeTakeFirst();
      if (still?.status !== 'pending') continue; // acked by an earlier row of the same key
      if (await this.#acked(row.key)) {
        await this.cancel(row.key, 'acked');
        continue;
      }
      await this.#o.db.updateTable('notify_escalations').set({ status: 'sent', updated_at: this.#o.now() }).where('id', '=', row.id).execute();
      await this.#o.fire(JSON.parse(row.request) as StoredRequest, row.level);
      fired++;
    }
    for (const key of new Set(due.map((r) => r.key))) await this.#forgetIfDone(key);
    return fired;
  }

  /** Drops the in-memory ack check once no step of the key is pending. */
  async #forgetIfDone(key: string): Promise<void> {
    const left = await this.#o.db.selectFrom('notify_escalations').select('id').where('key', '=', key).where('status', '=', 'pending').executeTakeFirst();
    if (left === undefined) this.#checks.delete(key);
  }

  async #acked(key: string): Promise<boolean> {
    const check = this.#checks.get(key) ?? this.#prefixCheck(key);
    if (check === undefined) {
      this.#o.log.warn({ key }, 'no ack check for this key after a restart; escalating');
      return false;
    }
    try {
      return await check();
    } catch (err) {
      this.#o.log.warn({ err, key }, 'ack check failed; escalating');
      return false;
    }
  }

  #prefixCheck(key: string): (() => Promise<boolean>) | undefined {
    for (const [prefix, check] of this.#prefixChecks) if (key.startsWith(prefix)) return () => check(key);
    return undefined;
  }

  start(): void {
    this.#closed = false;
    this.#arm();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#o.db
      .selectFrom('notify_escalations')
      .select((eb) => eb.fn.min<number>('due_at').as('next'))
      .where('status', '=', 'pending')
      .executeTakeFirst()
      .then((r) => {
        if (this.#closed || r?.next === null || r?.next === undefined) return;
        const delay = Math.min(MAX_TIMER_MS, Math.max(0, r.next - this.#o.now()));
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => {
          this.runDue().catch((err: unknown) => this.#o.log.error({ err }, 'escalation run failed'));
        }, delay);
        this.#timer.unref();
      })
      .catch((err: unknown) => this.#o.log.warn({ err }, 'could not arm the escalation timer'));
  }
}
