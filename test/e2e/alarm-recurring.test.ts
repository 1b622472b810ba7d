import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../hub/src/notify/signature.js';
import { type AlarmSite, HOT_CARD, WEBHOOK_SECRET, startAlarmSite } from '../support/alarm-site.js';
import { waitFor } from '../support/services.js';

/**
 * The same fault three times within a month on one card (the default month threshold is 3):
 * the ticket is flagged recurring, escalated one severity step, and `ticket.recurring` is
 * sent. Real time: the three cycles take seconds, well inside one calendar month.
 */
describe('a fault that keeps coming back on a simulated card is flagged recurring and escalated', () => {
  let s: AlarmSite;

  beforeAll(async () => {
    s = await startAlarmSite('recurring-site');
  });

  afterAll(async () => {
    await s?.close();
  });

  it('three over-temperature episodes: one ticket with three linked alarms, recurring, fault → critical', async () => {
    for (let episode = 1; episode <= 3; episode++) {
      s.site.inject(HOT_CARD);
      await s.waitAlarms(`episode ${episode} raised`, '&state=open', (l) => l.some((a) => a.type === 'card-over-temperature'));
      if (episode === 3) break;
      s.site.clear(HOT_CARD);
      await s.waitAlarms(`episode ${episode} cleared`, '&state=open', (l) => l.length === 0);
    }
    const ticket = await waitFor('the recurring flag', async () => (await s.tickets()).find((t) => t.recurring), 20_000, 250);
    expect(await s.tickets()).toHaveLength(1); // the episodes linked to the open ticket
    expect(ticket).toMatchObject({ faultType: 'card-over-temperature', deviceId: 'ctrl-1/p0/c1', recurring: true, recurringCount: 3, escalated: true, severity: 'critical' });
    const detail = (await s.hub.api<{ alarms: { alarmId: number }[]; events: { kind: string }[] }>('GET', `/api/tickets/${ticket.id}`)).body;
    expect(new Set(detail.alarms.map((a) => a.alarmId)).size).toBe(3);
    expect(detail.events.map((e) => e.kind).filter((k) => k === 'alarm-linked' || k === 'recurring' || k === 'escalated')).toEqual(['alarm-linked', 'alarm-linked', 'alarm-linked', 'recurring', 'escalated']);

    const hook = await waitFor('the ticket.recurring webhook', () => s.hooks.find((h) => h.headers['x-ledwatch-event'] === 'ticket.recurring'), 20_000, 200);
    expect(verifyWebhookSignature(WEBHOOK_SECRET, hook.headers['x-ledwatch-timestamp'] as string, hook.body, hook.headers['x-ledwatch-signature'] as string)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({ severity: 'critical', data: { number: ticket.number, period: 'month', count: 3 } });
    // Three raises in ten minutes: the card is flapping, so its alarm is held open rather than cleared and re-raised again.
    s.site.clear(HOT_CARD);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await s.alarms('&state=open')).toMatchObject([{ type: 'card-over-temperature', flapping: true }]);
  });
});
