/**
 * A test context set up for notifications: SMTP pointed at a loopback server (when given),
 * fast retries, the standard fixture, and helpers to add contacts, webhooks and
 * subscriptions straight into the database.
 */
import { randomUUID } from 'node:crypto';
import { createTestContext, seedFixture, type Fixture, type TestContext } from '../test-utils/context.js';
import { insertSubscription, insertWebhook, type SubscriptionInput } from './store.js';
import type { Subscription } from './match.js';
import type { NotifyRequest } from './types.js';

export const FROM = 'ledwatch <noreply@ledwatch.example>';
export const HOOK_SECRET = 'whsec_harness_secret_0123456789';

export interface NotifyHarness {
  ctx: TestContext;
  fx: Fixture;
  subscribe(s: Partial<SubscriptionInput> & Pick<SubscriptionInput, 'target'>): Promise<Subscription>;
  addWebhook(url: string, opts?: { secret?: string; enabled?: boolean }): Promise<string>;
  addContact(customerId: string, email: string | null): Promise<string>;
  /** Log rows, oldest first. */
  rows(): Promise<{ id: number; key: string; event: string; level: number; target: string; status: string; attempts: number; error: string | null; subject: string }[]>;
  cleanup(): Promise<void>;
}

export interface HarnessOptions {
  smtpPort?: number;
  smtp?: Record<string, unknown>;
  notify?: Record<string, unknown>;
  now?: () => number;
}

export async function notifyHarness(o: HarnessOptions = {}): Promise<NotifyHarness> {
  const smtp = o.smtpPort === undefined ? {} : { host: '127.0.0.1', port: o.smtpPort, from: FROM, timeoutMs: 2000, ...o.smtp };
  const ctx = await createTestContext({
    config: { smtp, notify: { retryBaseDelayMs: 5, retryMaxDelayMs: 20, webhookTimeoutMs: 2000, ...o.notify } },
    ...(o.now !== undefined ? { now: o.now } : {}),
  });
  const fx = await seedFixture(ctx);
  const db = ctx.state.db;
  return {
    ctx,
    fx,
    subscribe: (s) =>
      insertSubscription(
        db,
        {
          channel: 'webhookId' in s.target ? 'webhook' : 'email',
          minSeverity: 'info',
          customerId: null,
          siteId: null,
          events: ['*'],
          escalationLevel: 0,
          enabled: true,
          ...s,
        },
        ctx.now(),
      ),
    addWebhook: async (url, opts = {}) => (await insertWebhook(db, { name: 'ops', url, secret: opts.secret ?? HOOK_SECRET, enabled: opts.enabled ?? true }, ctx.now())).id,
    async addContact(customerId, email) {
      const id = randomUUID();
      await db.insertInto('contacts').values({ id, customer_id: customerId, site_id: null, name: email ?? 'no mail', email, phone: null, role: null, created_at: ctx.now() }).execute();
      return id;
    },
    rows: () => db.selectFrom('notifications').select(['id', 'key', 'event', 'level', 'target', 'status', 'attempts', 'error', 'subject']).orderBy('id').execute(),
    cleanup: () => ctx.cleanup(),
  };
}

/** An alarm-like request for customer acme's site. */
export function alarmRequest(fx: Fixture, over: Partial<NotifyRequest> = {}): NotifyRequest {
  const acme = fx.customers[0];
  return {
    key: 'alarm:101',
    event: 'alarm.raised',
    severity: 'fault',
    customerId: acme.id,
    siteId: acme.siteId,
    subject: 'Receiving card 3 offline at Acme Malls HQ wall',
    text: 'Receiving card 3 stopped answering at 09:00 UTC.',
    data: { alarmId: 101, device: 'card-3' },
    ...over,
  };
}
