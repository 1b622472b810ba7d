/** API shapes of alarm rules, overrides and maintenance windows. */
import { Type } from 'typebox';
import { Condition, OverrideFields, OverrideScope, RuleBody, RuleMatch, Severity } from '../rule-schema.js';

const Ms = Type.Integer({ description: 'ms since the Unix epoch' });

export const OverrideView = Type.Object({ scope: OverrideScope, scopeId: Type.String(), ...OverrideFields.properties });

export const RuleView = Type.Object({
  id: Type.String(),
  builtIn: Type.Boolean({ description: 'shipped default: read-only, change it with overrides' }),
  name: Type.String(),
  type: Type.String(),
  severity: Severity,
  match: RuleMatch,
  condition: Condition,
  enabled: Type.Boolean(),
  overrides: Type.Array(OverrideView, { description: 'global ← customer ← site ← device, later scopes win' }),
});

export { RuleBody };

export const OverrideBody = Type.Object(
  { scope: OverrideScope, scopeId: Type.String({ maxLength: 128, description: "'' for global" }), ...OverrideFields.properties },
  { additionalProperties: false },
);

export const OverrideKey = Type.Object({ scope: OverrideScope, scopeId: Type.String({ maxLength: 128 }) }, { additionalProperties: false });

export const RuleParams = Type.Object({ ruleId: Type.String({ minLength: 1, maxLength: 64 }) });

export const WindowBody = Type.Object(
  { startsAt: Ms, endsAt: Ms, reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])) },
  { additionalProperties: false },
);

export const WindowView = Type.Object({
  id: Type.Integer(),
  siteId: Type.String(),
  startsAt: Ms,
  endsAt: Ms,
  reason: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Ms,
});

export const WindowParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }), windowId: Type.Integer({ minimum: 1 }) });
