/**
 * `/api/alarm-rules`: the shipped defaults (read-only) and custom rules, each with its
 * overrides; custom rules are created, replaced and deleted here, and any rule is changed
 * per global/customer/site/device scope with `PUT …/{ruleId}/overrides`. Every change is
 * audited and reloads the rule book at once.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { writeAudit } from '../../audit/log.js';
import { customerScope } from '../../auth/principal.js';
import type { HubContext } from '../../context.js';
import { conflict, invalid, notFound } from '../../errors.js';
import { ListOf, withErrors } from '../../routes/schemas.js';
import { actorOf, principalOf, type HubApp } from '../../routes/types.js';
import type { AlarmRule, RuleBody as RuleBodyType, RuleOverride } from '../rule-schema.js';
import { applyOverride, conditionProblems, overrideProblems } from '../rules.js';
import { OverrideBody, OverrideKey, RuleBody, RuleParams, RuleView } from './schemas.js';

type OverrideInput = Static<typeof OverrideBody>;

/** Which overrides the caller may see: customers only those of their own scopes. */
async function overrideFilter(ctx: HubContext, req: FastifyRequest): Promise<(o: RuleOverride) => boolean> {
  const scope = customerScope(principalOf(req));
  if (scope === null) return () => true;
  const sites = new Set((await ctx.state.db.selectFrom('sites').select('id').where('customer_id', '=', scope).execute()).map((s) => s.id));
  const devices = await ctx.state.db.selectFrom('devices as d').innerJoin('agents as a', 'a.id', 'd.agent_id').select('d.id').where('a.site_id', 'in', [...sites, '']).execute();
  const devicePks = new Set(devices.map((d) => String(d.id)));
  return (o) => o.scope === 'global' || (o.scope === 'customer' && o.scopeId === scope) || (o.scope === 'site' && sites.has(o.scopeId)) || (o.scope === 'device' && devicePks.has(o.scopeId));
}

function toRuleView(ctx: HubContext, r: AlarmRule, visible: (o: RuleOverride) => boolean) {
  const overrides = ctx.alarms.rules
    .overridesOf(r.id)
    .filter(visible)
    .map(({ ruleId: _ruleId, ...o }) => o);
  return { id: r.id, builtIn: r.builtIn, name: r.name, type: r.type, severity: r.severity, match: r.match, condition: r.condition, enabled: r.enabled, overrides };
}

function checkRule(body: RuleBodyType): void {
  const problems = conditionProblems(body.condition);
  if (problems.length > 0) throw invalid('body.condition', problems.join('; '));
}

function ruleOf(ctx: HubContext, id: string): AlarmRule {
  const rule = ctx.alarms.rules.get(id);
  if (rule === undefined) throw notFound('alarm rule', id);
  return rule;
}

function customOf(ctx: HubContext, id: string): AlarmRule {
  const rule = ruleOf(ctx, id);
  if (rule.builtIn) throw conflict(`alarm rule ${id} is a shipped default and read-only; change it with PUT /api/alarm-rules/${id}/overrides`);
  return rule;
}

async function checkScope(ctx: HubContext, scope: OverrideInput['scope'], scopeId: string): Promise<void> {
  const db = ctx.state.db;
  const found =
    scope === 'global'
      ? scopeId === ''
      : scope === 'customer'
        ? (await db.selectFrom('customers').select('id').where('id', '=', scopeId).executeTakeFirst()) !== undefined
        : scope === 'site'
          ? (await db.selectFrom('sites').select('id').where('id', '=', scopeId).executeTakeFirst()) !== undefined
          : /^[1-9][0-9]*$/.test(scopeId) && (await db.selectFrom('devices').select('id').where('id', '=', Number(scopeId)).executeTakeFirst()) !== undefined;
  if (!found) throw invalid('body.scopeId', scope === 'global' ? "must be '' for the global scope" : `no ${scope} ${JSON.stringify(scopeId)} (a device is named by its numeric id)`);
}

export function alarmRuleRoutes(app: HubApp, ctx: HubContext): void {
  const tags = ['alarm rules'];
  const db = ctx.state.db;
  const audit = (req: FastifyRequest, action: string, entityId: string, details: Record<string, unknown>) =>
    writeAudit(db, { at: ctx.now(), actor: actorOf(req), action, entity: 'alarm-rule', entityId, details });

  app.get(
    '/api/alarm-rules',
    { config: { access: 'read' }, schema: { tags, summary: 'Every alarm rule: shipped defaults and custom rules, with their overrides', response: withErrors({ 200: ListOf(RuleView) }) } },
    async (req) => {
      const visible = await overrideFilter(ctx, req);
      return { items: ctx.alarms.rules.all().map((r) => toRuleView(ctx, r, visible)) };
    },
  );

  app.get(
    '/api/alarm-rules/:ruleId',
    { config: { access: 'read' }, schema: { tags, summary: 'One alarm rule with its overrides', params: RuleParams, response: withErrors({ 200: RuleView }) } },
    async (req) => toRuleView(ctx, ruleOf(ctx, req.params.ruleId), await overrideFilter(ctx, req)),
  );

  app.post(
    '/api/alarm-rules',
    { config: { access: 'write' }, schema: { tags, summary: 'Add a custom alarm rule', body: RuleBody, response: withErrors({ 201: RuleView }) } },
    async (req, reply) => {
      checkRule(req.body);
      const b = req.body;
      const id = `custom-${randomUUID().slice(0, 8)}`;
      const now = ctx.now();
      await db
        .insertInto('alarm_rules')
        .values({ id, name: b.name, type: b.type, severity: b.severity, match: JSON.stringify(b.match), condition: JSON.stringify(b.condition), enabled: b.enabled === false ? 0 : 1, created_at: now, updated_at: now, created_by: principalOf(req).userId })
        .execute();
      await audit(req, 'alarm-rule.create', id, { ...b });
      ctx.alarms.rulesChanged();
      return reply.code(201).send(toRuleView(ctx, ruleOf(ctx, id), () => true));
    },
  );

  app.put(
    '/api/alarm-rules/:ruleId',
    { config: { access: 'write' }, schema: { tags, summary: 'Replace a custom alarm rule', params: RuleParams, body: RuleBody, response: withErrors({ 200: RuleView }) } },
    async (req) => {
      const rule = customOf(ctx, req.params.ruleId);
      checkRule(req.body);
      const b = req.body;
      await db
        .updateTable('alarm_rules')
        .set({ name: b.name, type: b.type, severity: b.severity, match: JSON.stringify(b.match), condition: JSON.stringify(b.condition), enabled: b.enabled === false ? 0 : 1, updated_at: ctx.now() })
        .where('id', '=', rule.id)
        .execute();
      await audit(req, 'alarm-rule.update', rule.id, { ...b });
      ctx.alarms.rulesChanged();
      return toRuleView(ctx, ruleOf(ctx, rule.id), () => true);
    },
  );

  app.delete(
    '/api/alarm-rules/:ruleId',
    { config: { access: 'write' }, schema: { tags, summary: 'Delete a custom alarm rule and its overrides (its open alarms clear)', params: RuleParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const rule = customOf(ctx, req.params.ruleId);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('alarm_rule_overrides').where('rule_id', '=', rule.id).execute();
        await trx.deleteFrom('alarm_rules').where('id', '=', rule.id).execute();
      });
      await audit(req, 'alarm-rule.delete', rule.id, { name: rule.name, type: rule.type });
      ctx.alarms.rulesChanged();
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/api/alarm-rules/:ruleId/overrides',
    { config: { access: 'write' }, schema: { tags, summary: 'Set the override of a rule for one scope (replaces that scope’s previous one)', params: RuleParams, body: OverrideBody, response: withErrors({ 200: RuleView }) } },
    async (req) => {
      const rule = ruleOf(ctx, req.params.ruleId);
      const { scope, scopeId, ...fields } = req.body;
      if (Object.keys(fields).length === 0) throw invalid('body', 'names no field to override (enabled, severity, value, clearValue, forS, afterS); DELETE removes an override');
      const problems = [...overrideProblems(rule, fields), ...conditionProblems(applyOverride(rule, fields).condition)];
      if (problems.length > 0) throw invalid('body', problems.join('; '));
      await checkScope(ctx, scope, scopeId);
      const row = {
        enabled: fields.enabled === undefined ? null : fields.enabled ? 1 : 0,
        severity: fields.severity ?? null,
        value: fields.value === undefined ? null : JSON.stringify(fields.value),
        clear_value: fields.clearValue ?? null,
        for_s: fields.forS ?? null,
        after_s: fields.afterS ?? null,
        updated_at: ctx.now(),
        updated_by: principalOf(req).userId,
      };
      await db
        .insertInto('alarm_rule_overrides')
        .values({ rule_id: rule.id, scope, scope_id: scopeId, ...row })
        .onConflict((oc) => oc.columns(['rule_id', 'scope', 'scope_id']).doUpdateSet(row))
        .execute();
      await audit(req, 'alarm-rule.override', rule.id, { scope, scopeId, ...fields });
      ctx.alarms.rulesChanged();
      return toRuleView(ctx, rule, await overrideFilter(ctx, req));
    },
  );

  app.delete(
    '/api/alarm-rules/:ruleId/overrides',
    { config: { access: 'write' }, schema: { tags, summary: 'Remove the override of a rule for one scope', params: RuleParams, querystring: OverrideKey, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const rule = ruleOf(ctx, req.params.ruleId);
      const { scope, scopeId } = req.query;
      const res = await db.deleteFrom('alarm_rule_overrides').where('rule_id', '=', rule.id).where('scope', '=', scope).where('scope_id', '=', scopeId).executeTakeFirst();
      if (res.numDeletedRows === 0n) throw notFound('override', `${scope}:${scopeId}`);
      await audit(req, 'alarm-rule.override.delete', rule.id, { scope, scopeId });
      ctx.alarms.rulesChanged();
      return reply.code(204).send(null);
    },
  );
}
