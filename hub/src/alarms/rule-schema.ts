/**
 * The alarm rule model as TypeBox schemas (the API validates against them; the types are
 * derived from them, so the two cannot drift). A rule says which devices it watches
 * (`match`), what makes it hold (`condition`) and the alarm it raises (`type`, `severity`).
 */
import { DeviceState, MetricValue, Severity } from '@ledwatch/protocols';
import { Type, type Static } from 'typebox';

export { Severity };

const Seconds = (description: string, minimum = 0) => Type.Number({ minimum, maximum: 30 * 86_400, description });
const Glob = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

export const Op = Type.Enum(['>', '>=', '<', '<=', '==', '!=']);

export const MetricCondition = Type.Object(
  {
    metric: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.]{0,63}$', description: 'metric name of the reading, e.g. temperatureC' }),
    op: Op,
    value: MetricValue,
    clearValue: Type.Optional(Type.Number({ description: 'hysteresis: once raised, holds while `metric op clearValue` (e.g. > 70, clear 65)' })),
    forS: Type.Optional(Seconds('raise only when true at readings spanning at least this long')),
  },
  { additionalProperties: false },
);

export const StateCondition = Type.Object(
  { state: Type.Array(DeviceState, { minItems: 1, uniqueItems: true, description: 'reading states that raise, e.g. ["missing"]' }), forS: Type.Optional(Seconds('as for metrics')) },
  { additionalProperties: false },
);

export const EventCondition = Type.Object(
  {
    event: Type.String({ minLength: 1, maxLength: 64, description: "event type, or '*' for any raised/cleared event no other rule takes (the alarm type is then the event's)" }),
    clearAfterS: Type.Optional(Seconds('auto-clear after this long without a repeat (for events the agent never clears)', 1)),
  },
  { additionalProperties: false },
);

export const OfflineCondition = Type.Object({ kind: Type.Literal('agent-offline') }, { additionalProperties: false });

export const StaleCondition = Type.Object(
  { kind: Type.Literal('stale'), afterS: Seconds('raise when a device of an online agent sent no reading for this long', 10) },
  { additionalProperties: false },
);

export const Condition = Type.Union([MetricCondition, StateCondition, EventCondition, OfflineCondition, StaleCondition]);

export const RuleMatch = Type.Object(
  {
    deviceKind: Type.Optional(Glob("glob on the device kind, e.g. 'novastar*'; the agent itself has kind 'agent'")),
    devicePattern: Type.Optional(Glob("glob on the device id: '*' stops at '/', '**' does not, e.g. '*/p*/c*' for receiving cards")),
    component: Type.Optional(Type.String({ maxLength: 200, description: "glob on the component ('' = the device itself); absent = any" })),
  },
  { additionalProperties: false },
);

export const AlarmType = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'alarm type, e.g. card-over-temperature' });

/** A rule as stored (custom) or shipped (defaults). */
export const RuleBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: AlarmType,
    severity: Severity,
    match: RuleMatch,
    condition: Condition,
    enabled: Type.Optional(Type.Boolean({ description: 'default true' })),
  },
  { additionalProperties: false },
);

export const OverrideScope = Type.Enum(['global', 'customer', 'site', 'device'], {
  description: "global (scopeId ''), customer, site, or device (scopeId = the device's numeric id)",
});

/** What an override may change of a rule; absent fields keep the value below. */
export const OverrideFields = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    severity: Type.Optional(Severity),
    value: Type.Optional(MetricValue),
    clearValue: Type.Optional(Type.Number()),
    forS: Type.Optional(Seconds('metric and state rules')),
    afterS: Type.Optional(Seconds('stale rules', 10)),
  },
  { additionalProperties: false },
);

export type Op = Static<typeof Op>;
export type OverrideScope = Static<typeof OverrideScope>;
export type MetricCondition = Static<typeof MetricCondition>;
export type StateCondition = Static<typeof StateCondition>;
export type EventCondition = Static<typeof EventCondition>;
export type StaleCondition = Static<typeof StaleCondition>;
export type Condition = Static<typeof Condition>;
export type RuleMatch = Static<typeof RuleMatch>;
export type RuleBody = Static<typeof RuleBody>;
export type OverrideFields = Static<typeof OverrideFields>;

export interface AlarmRule extends RuleBody {
  id: string;
  enabled: boolean;
  /** Shipped default (read-only; change it with overrides) or a custom rule. */
  builtIn: boolean;
}

export interface RuleOverride extends OverrideFields {
  ruleId: string;
  scope: OverrideScope;
  scopeId: string;
}

export const SEVERITIES: readonly Severity[] = ['info', 'risk', 'fault', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}
