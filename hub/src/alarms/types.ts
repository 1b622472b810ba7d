/**
 * What the rest of the hub sees of alarms: the `AlarmView` (API body and bus payload) and
 * the `alarm` bus event the tickets and notification modules subscribe to.
 */
import { MetricValue, Severity } from '@ledwatch/protocols';
import { Type, type Static, type TSchema } from 'typebox';

export type { AlarmRule, Condition, RuleMatch, RuleOverride, Severity, OverrideScope } from './rule-schema.js';

const Ms = Type.Integer({ description: 'ms since the Unix epoch' });
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AlarmState = Type.Enum(['active', 'acknowledged', 'cleared'], { description: 'active and acknowledged alarms are open' });
export type AlarmState = Static<typeof AlarmState>;

/** Why an alarm was cleared. */
export type ClearReason = 'auto' | 'manual' | 'rule-disabled' | 'agent-revoked';

export const AlarmViewSchema = Type.Object({
  id: Type.Integer(),
  agentId: Type.String(),
  deviceId: Type.String({ description: "'' for the agent itself (agent-offline, clock-skew, outbox events)" }),
  component: Type.String({ description: "'' for the device itself" }),
  type: Type.String({ description: 'e.g. card-over-temperature, card-missing, agent-offline' }),
  severity: Severity,
  state: AlarmState,
  ruleId: Nullable(Type.String()),
  siteId: Type.String(),
  customerId: Type.String(),
  firstSeen: Ms,
  lastSeen: Ms,
  count: Type.Integer({ description: 'raises folded into this alarm (repeats, re-raises while flapping)' }),
  lastValue: Nullable(MetricValue),
  message: Nullable(Type.String()),
  ackedBy: Nullable(Type.String()),
  ackedAt: Nullable(Ms),
  clearedAt: Nullable(Ms),
  clearReason: Nullable(Type.String()),
  flapping: Type.Boolean({ description: 'raised and cleared repeatedly: held open until quiet' }),
  suppressed: Type.Boolean({ description: 'raised inside a maintenance window: recorded, not announced' }),
});
export type AlarmView = Static<typeof AlarmViewSchema>;

export type AlarmChangeKind = 'raised' | 'updated' | 'acknowledged' | 'cleared';

/** Payload of the bus event `alarm`. Never emitted for suppressed (maintenance) alarms. */
export interface AlarmChange {
  kind: AlarmChangeKind;
  alarm: AlarmView;
}
