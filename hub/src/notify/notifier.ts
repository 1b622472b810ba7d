/**
 * The notifier: hub services hand it requests (`notify`), it finds who subscribed, drops
 * duplicates and floods, logs every notification, and sends in the background with
 * retries (exponential backoff) — callers never wait for a mail server and never see an
 * error. Once `notify()` resolves the rows are in the database: a restart resumes them.
 * Escalation steps are scheduled for requests with an `ackedCheck` (see escalation.ts).
 * Consecutive SMTP failures are reported as the hub problem 'mail-failing', which goes to
 * webhook subscribers of `hub.mail-failing` (email cannot report that email is down).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { HubConfig } from '../config.js';
import type { HubBus } from '../context.js';
import type { DB } from '../db/index.js';
import type { Kysely } from 'kysely';
import type { EmailSender } from './email.js';
import { asDeliveryError, type DeliveryError } from './errors.js';
import { Escalations } from './escalation.js';
import { toNotificationView, type NotificationView } from './log.js';
import type { NotifyMetrics } from './metrics.js';
import { escalated, recordDeliveries, subscribedDeliveries } from './plan.js';
import { reportHubProblem, type HubProblem } from './problems.js';
import { resolveTarget } from './recipients.js';
import { sendNotification } from './send.js';
import type { AckCheck, NotifyRequest, NotifyTarget, StoredRequest } from './types.js';

export interface NotifierOptions {
  db: Kysely<DB>;
  log: Logger;
  bus: HubBus;
  now: () => number;
  config: Pick<HubConfig, 'notify'>;
  metrics: NotifyMetrics;
  email: EmailSender;
}

export class Notifier {
  readonly escalations: Escalations;
  readonly #o: NotifierOptions;
  readonly #inflight = new Set<Promise<void>>();
  #serial: Promise<unknown> = Promise.resolve();
  #stop = new AbortController();
  #closed = false;
  #mailFailures = 0;

  constructor(opts: NotifierOptions) {
    this.#o = opts;
    const steps = opts.config.notify.escalation;
    this.escalations = new Escalations({
      db: opts.db,
      log: opts.log,
      now: opts.now,
      steps,
      fire: (req, level) => this.#plan(escalated(req, level, steps[level - 1]?.afterMin), level),
    });
    opts.bus.on('hub-problem', this.#onHubProblem);
  }

  /** Queues a notification for everyone subscribed; resolves once it is logged. Never throws. */
  async notify(req: NotifyRequest): Promise<void> {
    if (this.#closed) {
      this.#o.log.warn({ key: req.key, event: req.event }, 'notifier closed; notification dropped');
      return;
    }
    try {
      const { ackedCheck: _ack, ...stored } = req;
      await this.#plan(stored, 0);
      await this.escalations.schedule(req);
    } catch (err) {
      this.#o.log.error({ err, key: req.key, event: req.event }, 'could not queue a notification');
    }
  }

  /** Stops the pending escalation steps of a key (the matter was acknowledged or resolved). */
  async cancelEscalations(key: string): Promise<void> {
    await this.escalations.cancel(key).catch((err: unknown) => this.#o.log.error({ err, key }, 'could not cancel escalations'));
  }

  /** How to tell, after a restart, whether the matter behind keys with this prefix is acknowledged. */
  registerAckCheck(prefix: string, check: AckCheck): void {
    this.escalations.registerAckCheck(prefix, check);
  }

  /** Sends a test notification to one target now (one attempt, no dedupe) and returns the outcome. */
  async sendTest(target: NotifyTarget, info: { by: string }): Promise<NotificationView[]> {
    const req: StoredRequest = {
      key: `test:${String(this.#o.now())}`,
      event: 'notify.test',
      severity: 'info',
      subject: 'ledwatch test notification',
      text: `This is a test notification from the ledwatch hub, sent by ${info.by}. Nothing needs doing.`,
      data: { test: true, by: info.by },
    };
    const deliveries = await resolveTarget(this.#o.db, target, { subscriptionId: null, customerId: undefined, checkCustomer: false });
    const rows = await this.#serialized(() => recordDeliveries(this.#o.db, req, 0, deliveries, { now: this.#o.now(), limits: null }));
    await Promise.all(rows.filter((r) => r.status === 'pending').map((r) => this.#deliver(r.id, { maxAttempts: 1 })));
    const logged = await this.#o.db.selectFrom('notifications').selectAll().where('id', 'in', rows.length > 0 ? rows.map((r) => r.id) : [-1]).orderBy('id').execute();
    return logged.map(toNotificationView);
  }

  /** Resumes notifications left pending or retrying by a previous run, and starts the escalation timer. */
  start(): void {
    this.escalations.start();
    this.#track(
      (async () => {
        const open = await this.#o.db.selectFrom('notifications').select(['id', 'next_attempt_at']).where('status', 'in', ['pending', 'retrying']).execute();
        for (const r of open) this.#track(this.#deliver(r.id, { delayMs: Math.max(0, (r.next_attempt_at ?? 0) - this.#o.now()) }));
      })(),
    );
  }

  /** Resolves when nothing is being planned, sent or waiting for a retry. */
  async idle(): Promise<void> {
    await this.#serial.catch(() => undefined);
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /** Stops timers and retries (they resume at the next start) and closes the mail transport. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.bus.off('hub-problem', this.#onHubProblem);
    this.escalations.close();
    this.#stop.abort();
    await this.idle();
    this.#o.email.close();
  }

  async #plan(req: StoredRequest, level: number): Promise<void> {
    const rows = await this.#serialized(async () => {
      const deliveries = await subscribedDeliveries(this.#o.db, req, level);
      const { dedupeWindowS, maxPerKeyPerHour } = this.#o.config.notify;
      return recordDeliveries(this.#o.db, req, level, deliveries, { now: this.#o.now(), limits: { dedupeWindowS, maxPerKeyPerHour } });
    });
    for (const r of rows) {
      if (r.status === 'pending') this.#track(this.#deliver(r.id));
      else this.#o.metrics.notifications.inc({ channel: r.channel, outcome: r.status === 'suppressed' ? 'suppressed' : 'failed' });
    }
    if (rows.length > 0) this.#o.log.debug({ key: req.key, event: req.event, level, rows: rows.length }, 'notification planned');
  }

  /** Runs planning steps one at a time (dedupe counts must see every earlier row). */
  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#serial.catch(() => undefined).then(fn);
    this.#serial = next;
    return next;
  }

  #track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.#o.log.error({ err }, 'notification delivery crashed')).finally(() => this.#inflight.delete(tracked));
    this.#inflight.add(tracked);
  }

  async #deliver(id: number, opts: { delayMs?: number; maxAttempts?: number } = {}): Promise<void> {
    const { db, now, metrics } = this.#o;
    const { retryAttempts, retryBaseDelayMs, retryMaxDelayMs, webhookTimeoutMs } = this.#o.config.notify;
    const maxAttempts = opts.maxAttempts ?? retryAttempts;
    let delay = opts.delayMs ?? 0;
    for (;;) {
      if (delay > 0 && !(await this.#wait(delay))) return;
      const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined || (row.status !== 'pending' && row.status !== 'retrying')) return;
      const attempts = row.attempts + 1;
      try {
        await sendNotification(row, { db, email: this.#o.email, webhookTimeoutMs });
        await db.updateTable('notifications').set({ status: 'sent', attempts, error: null, sent_at: now(), next_attempt_at: null }).where('id', '=', id).execute();
        metrics.notifications.inc({ channel: row.channel, outcome: 'sent' });
        if (row.channel === 'email') this.#mailResult(null);
        return;
      } catch (err) {
        const e = asDeliveryError(err);
        if (row.channel === 'email') this.#mailResult(e);
        const retry = e.retryable && attempts < maxAttempts;
        delay = retry ? Math.min(retryMaxDelayMs, retryBaseDelayMs * 2 ** (attempts - 1)) : 0;
        await db
          .updateTable('notifications')
          .set({ status: retry ? 'retrying' : 'failed', attempts, error: e.summary(), next_attempt_at: retry ? now() + delay : null })
          .where('id', '=', id)
          .execute();
        metrics.notifications.inc({ channel: row.channel, outcome: retry ? 'retried' : 'failed' });
        this.#o.log.warn({ id, channel: row.channel, target: row.target, attempts, code: e.code, retry }, 'notification not delivered');
        if (!retry) return;
      }
    }
  }

  /** Sleeps unless the notifier closes first; false when it did. */
  async #wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.#stop.signal });
      return true;
    } catch {
      return false;
    }
  }

  #mailResult(err: DeliveryError | null): void {
    if (err === null) {
      this.#mailFailures = 0;
      reportHubProblem(this.#o, 'mail-failing', false, 'mail is being delivered again');
      return;
    }
    if (err.code !== 'smtp-unavailable' && err.code !== 'not-configured') return;
    this.#mailFailures++;
    if (this.#mailFailures >= this.#o.config.notify.mailFailureThreshold) {
      reportHubProblem(this.#o, 'mail-failing', true, `${String(this.#mailFailures)} SMTP attempts failed in a row; last: ${err.summary()}`);
    }
  }

  readonly #onHubProblem = (p: HubProblem): void => {
    if (p.kind !== 'mail-failing' || this.#closed) return;
    if (!p.active) this.#mailFailures = 0; // e.g. the self-check found the SMTP server answering again
    const req: NotifyRequest = {
      key: 'hub:mail-failing',
      event: p.active ? 'hub.mail-failing' : 'hub.mail-recovered',
      severity: p.active ? 'critical' : 'info',
      subject: p.active ? 'ledwatch hub: email notifications are failing' : 'ledwatch hub: email notifications work again',
      text: p.detail,
      data: { kind: p.kind, active: p.active, detail: p.detail, at: p.at },
      channels: ['webhook'],
    };
    this.#track(this.notify(req));
  };
}

