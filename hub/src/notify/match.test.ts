import { describe, expect, test } from 'vitest';
import { eventMatches, subscriptionMatches, type Subscription } from './match.js';
import type { NotifyRequest } from './types.js';

const sub = (over: Partial<Subscription> = {}): Subscription => ({
  id: 's1',
  target: { role: 'engineer' },
  channel: 'email',
  minSeverity: 'fault',
  customerId: null,
  siteId: null,
  events: ['alarm.*'],
  escalationLevel: 0,
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});

const req = (over: Partial<NotifyRequest> = {}): Pick<NotifyRequest, 'event' | 'severity' | 'customerId' | 'siteId' | 'channels'> => ({
  event: 'alarm.raised',
  severity: 'critical',
  customerId: 'cust-acme',
  siteId: 'site-acme',
  ...over,
});

describe('subscription matching', () => {
  test('event globs match whole dotted names, with * for any run of characters', () => {
    expect(eventMatches(['alarm.*'], 'alarm.raised')).toBe(true);
    expect(eventMatches(['alarm.*'], 'alarms.raised')).toBe(false);
    expect(eventMatches(['alarm.*'], 'ticket.alarm.raised')).toBe(false);
    expect(eventMatches(['*'], 'hub.mail-failing')).toBe(true);
    expect(eventMatches(['ticket.opened', 'hub.*'], 'ticket.opened')).toBe(true);
    expect(eventMatches(['ticket.opened'], 'ticket.openedX')).toBe(false);
    expect(eventMatches([], 'alarm.raised')).toBe(false);
  });

  test('a notification below the minimum severity does not reach the subscriber', () => {
    expect(subscriptionMatches(sub(), req({ severity: 'fault' }), 0)).toBe(true);
    expect(subscriptionMatches(sub(), req({ severity: 'risk' }), 0)).toBe(false);
    expect(subscriptionMatches(sub({ minSeverity: 'info' }), req({ severity: 'info' }), 0)).toBe(true);
  });

  test('a scoped subscription only hears about its own customer and site', () => {
    expect(subscriptionMatches(sub({ customerId: 'cust-acme' }), req(), 0)).toBe(true);
    expect(subscriptionMatches(sub({ customerId: 'cust-globex' }), req(), 0)).toBe(false);
    expect(subscriptionMatches(sub({ siteId: 'site-other' }), req(), 0)).toBe(false);
    expect(subscriptionMatches(sub({ customerId: 'cust-acme' }), req({ customerId: undefined }), 0)).toBe(false);
  });

  test('only subscriptions of the level being sent, enabled, and on an allowed channel match', () => {
    expect(subscriptionMatches(sub({ escalationLevel: 1 }), req(), 0)).toBe(false);
    expect(subscriptionMatches(sub({ escalationLevel: 1 }), req(), 1)).toBe(true);
    expect(subscriptionMatches(sub({ enabled: false }), req(), 0)).toBe(false);
    expect(subscriptionMatches(sub(), req({ channels: ['webhook'] }), 0)).toBe(false);
    expect(subscriptionMatches(sub({ channel: 'webhook', target: { webhookId: 'w' } }), req({ channels: ['webhook'] }), 0)).toBe(true);
  });
});
