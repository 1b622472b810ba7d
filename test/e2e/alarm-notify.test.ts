import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../hub/src/notify/signature.js';
import { type AlarmSite, CONTACT_EMAIL, HOT_CARD, WEBHOOK_SECRET, startAlarmSite } from '../support/alarm-site.js';
import { waitFor } from '../support/services.js';

describe('a fault on a simulated card: alarm, ticket, email and signed webhook, then clear; agent killed', () => {
  let s: AlarmSite;

  beforeAll(async () => {
    s = await startAlarmSite('alarm-site');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('opens exactly one alarm for an over-temperature card, mails the contact and signs the webhook', async () => {
    expect(await s.alarms('&state=open')).toEqual([]);
    s.site.inject(HOT_CARD);
    const open = await s.waitAlarms('the alarm', '&state=open', (l) => l.length > 0);
    await new Promise((r) => setTimeout(r, 2500)); // more readings of the hot card arrive meanwhile
    const still = await s.alarms('&state=open');
    expect(still).toHaveLength(1);
    expect(still[0]).toMatchObject({ type: 'card-over-temperature', deviceId: 'ctrl-1/p0/c1', severity: 'fault', state: 'active' });
    expect(open[0]?.id).toBe(still[0]?.id);

    const mail = await waitFor('the email', () => s.smtp.mails.find((m) => m.to.includes(CONTACT_EMAIL)), 20_000, 200);
    expect(mail.headers.subject).toMatch(/card-over-temperature/);
    expect(mail.body).toMatch(/ctrl-1\/p0\/c1/);
    const hook = await waitFor('the webhook', () => s.hooks.find((h) => h.headers['x-ledwatch-event'] === 'alarm.raised'), 20_000, 200);
    const ts = hook.headers['x-ledwatch-timestamp'] as string;
    const sig = hook.headers['x-ledwatch-signature'] as string;
    expect(verifyWebhookSignature(WEBHOOK_SECRET, ts, hook.body, sig)).toBe(true);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, ts, hook.body.replace('card', 'cord'), sig)).toBe(false);
    expect(JSON.parse(hook.body)).toMatchObject({ data: { alarm: { type: 'card-over-temperature' } } });
    const tickets = await waitFor('the ticket', async () => {
      const list = await s.tickets();
      return list.length > 0 ? list : undefined;
    });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ faultType: 'card-over-temperature', state: 'new' });
  });

  it('clears the alarm when the card cools down', async () => {
    s.site.clear(HOT_CARD);
    await s.waitAlarms('cleared', '&state=open', (l) => l.length === 0);
    const all = await s.alarms();
    expect(all.filter((a) => a.type === 'card-over-temperature').map((a) => a.state)).toEqual(['cleared']);
    const ticket = await waitFor('the ticket marked fault cleared', async () => {
      const list = await s.tickets();
      return list[0]?.faultClearedAt ? list[0] : undefined;
    });
    expect(ticket.faultClearedAt).toBeGreaterThan(0);
  });

  it('raises one agent-offline alarm and no per-device alarms when the agent is killed', async () => {
    s.agent.child.kill('SIGKILL');
    const open = await s.waitAlarms('agent offline alarm', '&state=open', (l) => l.some((a) => a.type === 'agent-offline'), 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    const after = await s.alarms('&state=open');
    expect(after.map((a) => a.type)).toEqual(['agent-offline']);
    expect(open.map((a) => a.type)).toEqual(['agent-offline']);
  });
});
