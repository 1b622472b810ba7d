import { afterEach, describe, expect, test, vi } from 'vitest';
import { bridgeAlarmsToNotifications } from '../notify/alarm-bridge.js';
import { reportHubProblem } from '../notify/problems.js';
import { insertSubscription } from '../notify/store.js';
import { type AlarmHub, createAlarmHub } from './test-utils.js';

describe("the hub's own problems as alarms", () => {
  let hub: AlarmHub;
  afterEach(async () => {
    await hub.cleanup();
  });

  const hubRows = () => hub.rows("agent_id = 'hub'");

  test('a problem raises one alarm on the hub pseudo-device while it lasts, and its end clears it', async () => {
    hub = await createAlarmHub();
    reportHubProblem(hub.ctx, 'store-unreachable', true, 'telemetry store unreachable: ECONNREFUSED');
    reportHubProblem(hub.ctx, 'store-unreachable', true, 'still unreachable');
    expect(hubRows()).toMatchObject([
      { agent_id: 'hub', device_id: 'hub', component: '', type: 'hub-store-unreachable', severity: 'fault', state: 'active', site_id: '', customer_id: '', rule_id: 'hub-store-unreachable', message: 'telemetry store unreachable: ECONNREFUSED' },
    ]);
    hub.advance(30);
    reportHubProblem(hub.ctx, 'store-unreachable', false, 'telemetry store answers');
    expect(hubRows()).toMatchObject([{ type: 'hub-store-unreachable', state: 'cleared', clear_reason: 'auto' }]);
    expect(hub.changes.map((c) => `${c.kind} ${c.alarm.type}`)).toEqual(['raised hub-store-unreachable', 'cleared hub-store-unreachable']);
  });

  test('each kind has its own type and severity', async () => {
    hub = await createAlarmHub();
    for (const kind of ['state-unreachable', 'store-unreachable', 'mail-failing', 'heartbeat-failing'] as const) reportHubProblem(hub.ctx, kind, true, kind);
    expect(Object.fromEntries(hubRows().map((r) => [r.type, r.severity]))).toEqual({
      'hub-state-unreachable': 'critical',
      'hub-store-unreachable': 'fault',
      'hub-mail-failing': 'fault',
      'hub-heartbeat-failing': 'risk',
    });
  });

  test('hub alarms open no fault ticket, and their notifications reach unscoped subscribers only', async () => {
    hub = await createAlarmHub();
    hub.ctx.tickets.start();
    bridgeAlarmsToNotifications(hub.ctx);
    const db = hub.ctx.state.db;
    const webhook = { id: 'wh-ops', name: 'ops', url: 'http://127.0.0.1:9/unused', secret: 'whsec_0123456789abcdef', enabled: 1, created_at: 0, updated_at: 0 };
    await db.insertInto('notify_webhooks').values(webhook).execute();
    const base = { channel: 'webhook' as const, minSeverity: 'info' as const, siteId: null, events: ['alarm.*'], escalationLevel: 0, enabled: true };
    await insertSubscription(db, { ...base, target: { webhookId: 'wh-ops' }, customerId: null }, hub.t);
    await insertSubscription(db, { ...base, target: { webhookId: 'wh-ops' }, customerId: 'c1' }, hub.t);
    reportHubProblem(hub.ctx, 'mail-failing', true, '3 SMTP attempts failed in a row');
    // One planning step logs every matching subscription at once (the webhook itself is never reached).
    const rows = await vi.waitFor(async () => {
      const r = await db.selectFrom('notifications').select(['event', 'subject', 'customer_id', 'subscription_id']).execute();
      expect(r.length).toBeGreaterThan(0);
      return r;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: 'alarm.raised', customer_id: null, subject: '[fault] hub-mail-failing on the ledwatch hub' });
    expect(hub.ctx.state.sqlite.prepare('select count(*) as n from tickets').get()).toEqual({ n: 0 });
  });

  test('a global override changes the severity; a disabled rule raises nothing but the end still clears', async () => {
    hub = await createAlarmHub();
    const put = hub.ctx.state.sqlite.prepare("insert into alarm_rule_overrides (rule_id, scope, scope_id, enabled, severity, updated_at) values (?, 'global', '', ?, ?, 0)");
    put.run('hub-heartbeat-failing', null, 'fault');
    put.run('hub-store-unreachable', 0, null);
    reportHubProblem(hub.ctx, 'heartbeat-failing', true, 'no answer');
    expect(hubRows()).toMatchObject([{ type: 'hub-heartbeat-failing', severity: 'risk' }]); // rules not reloaded yet
    reportHubProblem(hub.ctx, 'heartbeat-failing', false, 'answers');
    hub.ctx.alarms.rulesChanged();
    reportHubProblem(hub.ctx, 'heartbeat-failing', true, 'no answer again');
    reportHubProblem(hub.ctx, 'store-unreachable', true, 'down');
    expect(hubRows().map((r) => `${r.type} ${r.severity} ${r.state}`)).toEqual(['hub-heartbeat-failing risk cleared', 'hub-heartbeat-failing fault active']);
  });

  test('cleared by hand while the problem lasts, the alarm is raised again at the next sweep', async () => {
    hub = await createAlarmHub();
    reportHubProblem(hub.ctx, 'store-unreachable', true, 'down');
    const [first] = hubRows();
    const actor = { userId: null, audit: { userId: null, tokenId: null, ip: null } };
    expect(hub.ctx.alarms.clear(first?.id ?? 0, actor)).toMatchObject({ state: 'cleared' });
    hub.advance(5);
    hub.ctx.alarms.sweep();
    expect(hubRows().map((r) => `${r.id} ${r.state} ${r.clear_reason ?? ''}`)).toEqual([`${first?.id} cleared manual`, `${(first?.id ?? 0) + 1} active `]);
    reportHubProblem(hub.ctx, 'store-unreachable', false, 'back');
    hub.ctx.alarms.sweep();
    expect(hubRows().filter((r) => r.state !== 'cleared')).toEqual([]);
  });

  test('an alarm open before a restart is cleared by the first check that passes after it', async () => {
    hub = await createAlarmHub();
    reportHubProblem(hub.ctx, 'store-unreachable', true, 'down');
    await hub.restart();
    expect(hubRows()).toMatchObject([{ type: 'hub-store-unreachable', state: 'active' }]);
    reportHubProblem(hub.ctx, 'store-unreachable', true, 'still down'); // no second alarm
    expect(hubRows()).toHaveLength(1);
    reportHubProblem(hub.ctx, 'store-unreachable', false, 'telemetry store answers');
    expect(hubRows()).toMatchObject([{ type: 'hub-store-unreachable', state: 'cleared' }]);
  });
});
