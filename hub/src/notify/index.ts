/**
 * Notifications and self-monitoring of the hub (`ctx.notify`): email and signed webhooks
 * to subscribers, dedupe and rate limits, escalation, the heartbeat and the hub's own
 * problems. See README.md in this folder.
 */
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { HubConfig } from '../config.js';
import type { HubBus } from '../context.js';
import type { StateDb } from '../db/index.js';
import type { HubMetrics } from '../metrics.js';
import type { TelemetryStore } from '../telemetry/store.js';
import { HUB_VERSION } from '../version.js';
import { SmtpEmailSender, type EmailSender } from './email.js';
import { DeliveryError } from './errors.js';
import { SelfMonitor, type HealthCheck } from './heartbeat.js';
import { activeHubProblems } from './problems.js';
import type { NotificationView } from './log.js';
import { createNotifyMetrics } from './metrics.js';
import { Notifier } from './notifier.js';
import type { AckCheck, NotifyRequest, NotifyTarget } from './types.js';

export * from './types.js';
export { verifyWebhookSignature, signWebhook } from './signature.js';
export { reportHubProblem, activeHubProblems, type HubProblem, type HubProblemKind } from './problems.js';
export { DeliveryError, type DeliveryErrorCode } from './errors.js';
export { Notifier } from './notifier.js';
export { SelfMonitor, type HealthCheck, type BeatResult } from './heartbeat.js';
export { SmtpEmailSender, type EmailSender, type EmailMessage } from './email.js';
export type { NotificationView } from './log.js';
export type { Subscription } from './match.js';

/** What the rest of the hub sees as `ctx.notify`. */
export interface NotifyService {
  /** Queues a notification for its subscribers; resolves once logged, never throws. */
  notify(req: NotifyRequest): Promise<void>;
  /** Stops pending escalation steps of a key (acknowledged, cleared, closed). */
  cancelEscalations(key: string): Promise<void>;
  /** Ack check used for escalations after a restart, for keys starting with `prefix` (e.g. 'alarm:'). */
  registerAckCheck(prefix: string, check: AckCheck): void;
  /** One test notification to a target, sent now; the logged outcome. */
  sendTest(target: NotifyTarget, info: { by: string }): Promise<NotificationView[]>;
  /** Resumes unsent notifications and starts the escalation timer, self-checks and heartbeat. */
  start(): void;
  /** Resolves when no notification is being planned, sent, or waiting for a retry. */
  idle(): Promise<void>;
  close(): Promise<void>;
  readonly notifier: Notifier;
  readonly monitor: SelfMonitor;
}

export interface CreateNotifyOptions {
  config: Pick<HubConfig, 'notify' | 'smtp'>;
  log: Logger;
  state: StateDb;
  metrics: HubMetrics;
  bus: HubBus;
  telemetry: TelemetryStore;
  now: () => number;
  /** Replaces the SMTP sender (another transport). */
  email?: EmailSender;
}

export function createNotifyService(o: CreateNotifyOptions): NotifyService {
  const metrics = createNotifyMetrics(o.metrics.registry);
  const log = o.log.child({ module: 'notify' });
  const email = o.email ?? new SmtpEmailSender(o.config.smtp);
  const notifier = new Notifier({ db: o.state.db, log, bus: o.bus, now: o.now, config: o.config, metrics, email });
  const checks: HealthCheck[] = [
    {
      kind: 'state-unreachable',
      vouches: true,
      run: async () => {
        await sql`SELECT 1`.execute(o.state.db);
        return { ok: true, detail: 'state database answers' };
      },
    },
    {
      kind: 'store-unreachable',
      vouches: false,
      run: async () => {
        const h = await o.telemetry.health();
        const why = h.detail?.error ?? h.detail?.lastError ?? 'health check failed';
        return { ok: h.ok, detail: h.ok ? 'telemetry store answers' : `telemetry store unreachable: ${String(why)}` };
      },
    },
    {
      // Only while mail is failing: is the SMTP server back? (Otherwise a recovery would wait for the next mail.)
      kind: 'mail-failing',
      vouches: false,
      run: async () => {
        if (!activeHubProblems(o.bus).some((p) => p.kind === 'mail-failing') || email.verify === undefined) return { ok: true, detail: 'mail is not failing' };
        try {
          await email.verify();
          return { ok: true, detail: 'the SMTP server answers again' };
        } catch (err) {
          return { ok: false, detail: `SMTP server still failing: ${err instanceof DeliveryError ? err.summary() : String(err)}` };
        }
      },
    },
  ];
  const monitor = new SelfMonitor({ ctx: { bus: o.bus, log, now: o.now }, config: o.config.notify, metrics, checks, version: HUB_VERSION });
  return {
    notifier,
    monitor,
    notify: (req) => notifier.notify(req),
    cancelEscalations: (key) => notifier.cancelEscalations(key),
    registerAckCheck: (prefix, check) => notifier.registerAckCheck(prefix, check),
    sendTest: (target, info) => notifier.sendTest(target, info),
    start() {
      notifier.start();
      monitor.start();
    },
    idle: () => notifier.idle(),
    async close() {
      await monitor.close();
      await notifier.close();
    },
  };
}
