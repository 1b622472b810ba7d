/**
 * Inspections API: per-site settings and schedule, templates, run now, results, the
 * baseline "approve current configuration" action with its diff, and the supported-
 * versions matrix.
 */
import { InspectFacts, InspectTarget } from '@ledwatch/protocols';
import { Type } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import { conflict, invalid, notFound } from '../errors.js';
import { CHECK_IDS } from '../inspections/checks/index.js';
import { configDiff } from '../inspections/checks/facts-checks.js';
import { nextDue, parseCron } from '../inspections/cron.js';
import { inspectionSchedulerOf, inspectionsOf } from '../inspections/index.js';
import type { InspectionView } from '../inspections/service.js';
import { translator } from '../reports/catalogue.js';
import { visibleSite } from './sites.js';
import { Id, IdParams, ListOf, Ms, Nullable, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

const Verdict = Type.Enum(['pass', 'warn', 'fail']);
const Msg = Type.Object({ key: Type.String(), params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))) });
const Result = Type.Object({
  check: Type.String(),
  area: Type.String(),
  verdict: Verdict,
  subject: Type.Optional(Type.String()),
  finding: Msg,
  fix: Type.Optional(Msg),
  repeated: Type.Optional(Type.Boolean()),
  findingText: Type.String({ description: 'the finding in English' }),
  fixText: Type.Optional(Type.String({ description: 'the recommended fix in English' })),
});
const Summary = Type.Object({ pass: Type.Integer(), warn: Type.Integer(), fail: Type.Integer(), verdict: Verdict });
const Inspection = Type.Object({
  id: Type.String(),
  siteId: Id,
  customerId: Id,
  agentId: Nullable(Type.String()),
  trigger: Type.String(),
  state: Type.Enum(['collecting', 'checking', 'done', 'failed']),
  periodStart: Ms,
  periodEnd: Ms,
  commandId: Nullable(Type.String()),
  agentOnline: Type.Boolean(),
  summary: Nullable(Summary),
  results: Nullable(Type.Array(Result)),
  facts: Nullable(InspectFacts),
  error: Nullable(Type.String()),
  createdAt: Ms,
  finishedAt: Nullable(Ms),
  reportId: Nullable(Type.String()),
});
const Settings = Type.Object(
  {
    enabled: Type.Boolean({ description: 'run the schedule' }),
    cron: Type.String({ description: '5-field cron in the site’s time zone; day-of-month AND day-of-week must both hold (default 0 9 1-7 * 1 = first Monday 09:00)' }),
    templateId: Type.String(),
    seasonal: Type.Array(Type.String(), { description: 'seasonal template ids added in their months' }),
    network: Type.Object(
      { gateway: Type.Optional(InspectTarget), dns: Type.Optional(Type.Array(InspectTarget, { maxItems: 8 })), ntp: Type.Optional(Type.Array(InspectTarget, { maxItems: 8 })), hub: Type.Optional(InspectTarget) },
      { additionalProperties: false, description: 'the only targets the agent probes' },
    ),
    allowedPorts: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { maxItems: 200 }),
    logDirs: Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 16 }),
    mail: Type.Boolean({ description: 'mail reports to the customer contacts' }),
  },
  { additionalProperties: false },
);
const SettingsView = Type.Object({ ...Settings.properties, siteId: Id, lastDueAt: Nullable(Ms), nextDueAt: Nullable(Ms) });
const Template = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,64}$' }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Enum(['base', 'seasonal']),
    months: Nullable(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { maxItems: 12 })),
    checks: Type.Array(Type.String(), { maxItems: 100 }),
    thresholds: Type.Record(Type.String(), Type.Number()),
  },
  { additionalProperties: false },
);
const VersionRow = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['controller', 'agent', 'os', 'node']),
  model: Type.String(),
  minVersion: Nullable(Type.String()),
  maxVersion: Nullable(Type.String()),
  note: Nullable(Type.String()),
  builtin: Type.Boolean(),
});
const NewVersion = Type.Object(
  {
    kind: Type.Enum(['controller', 'agent', 'os', 'node']),
    model: Type.String({ minLength: 1, maxLength: 128, description: 'model glob, * = any (os: the platform, e.g. linux)' }),
    minVersion: Nullable(Type.String({ maxLength: 64 })),
    maxVersion: Nullable(Type.String({ maxLength: 64 })),
    note: Nullable(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const Diff = Type.Object({ device: Type.String(), baseline: Type.Boolean({ description: 'a baseline was approved before' }), changes: Type.Array(Type.String()) });

export const inspectionRoutes: RouteModule = (app, ctx) => {
  const service = inspectionsOf(ctx);
  const tags = ['inspections'];
  const { t } = translator('en');

  const view = (v: InspectionView) => ({
    ...v,
    results: v.results === null ? null : v.results.map((r) => ({ ...r, findingText: t(r.finding.key, r.finding.params), ...(r.fix ? { fixText: t(r.fix.key, r.fix.params) } : {}) })),
  });
  const visibleInspection = async (req: Parameters<typeof principalOf>[0], id: string): Promise<InspectionView> => {
    const v = await service.get(id);
    const scope = customerScope(principalOf(req));
    if (v === undefined || (scope !== null && scope !== v.customerId)) throw notFound('inspection', id);
    return v;
  };

  app.get(
    '/api/sites/:id/inspection-settings',
    { config: { access: 'read' }, schema: { tags, summary: 'A site’s inspection schedule, templates, network targets and port allow-list', params: IdParams, response: withErrors({ 200: SettingsView }) } },
    async (req) => {
      const site = await visibleSite(ctx, req, req.params.id);
      const s = await service.store.settings(site.id);
      return { ...s, nextDueAt: s.enabled ? (nextDue(parseCron(s.cron), site.timezone, ctx.now()) ?? null) : null };
    },
  );

  app.put(
    '/api/sites/:id/inspection-settings',
    { config: { access: 'write' }, schema: { tags, summary: 'Set a site’s inspection schedule, templates, network targets and port allow-list', params: IdParams, body: Settings, response: withErrors({ 200: SettingsView }) } },
    async (req) => {
      const site = await visibleSite(ctx, req, req.params.id);
      try {
        parseCron(req.body.cron);
      } catch (err) {
        throw invalid('body.cron', (err as Error).message);
      }
      const templates = await service.store.templates();
      if (!templates.some((x) => x.id === req.body.templateId && x.kind === 'base')) throw invalid('body.templateId', `no base template ${req.body.templateId}`);
      const unknown = req.body.seasonal.find((id) => !templates.some((x) => x.id === id && x.kind === 'seasonal'));
      if (unknown !== undefined) throw invalid('body.seasonal', `no seasonal template ${unknown}`);
      const before = await service.store.settings(site.id);
      const saved = await service.store.saveSettings({ ...before, ...req.body, siteId: site.id });
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'inspection.settings', entity: 'site', entityId: site.id, details: { cron: saved.cron, templateId: saved.templateId } });
      await inspectionSchedulerOf(ctx).refresh();
      return { ...saved, nextDueAt: saved.enabled ? (nextDue(parseCron(saved.cron), site.timezone, ctx.now()) ?? null) : null };
    },
  );

  app.post(
    '/api/sites/:id/inspections',
    { config: { access: 'write' }, schema: { tags, summary: 'Run an inspection of the site now (one per site at a time); answers when it started', params: IdParams, response: withErrors({ 202: Type.Object({ siteId: Id, running: Type.Boolean() }) }) } },
    async (req, reply) => {
      const site = await visibleSite(ctx, req, req.params.id);
      if (service.isRunning(site.id)) throw conflict(`an inspection of site ${site.id} is already running`);
      const principal = principalOf(req);
      service.start(site.id, 'manual', principal.userId).catch((err: unknown) => ctx.log.error({ err, siteId: site.id }, 'inspection run failed'));
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'inspection.run', entity: 'site', entityId: site.id, details: {} });
      return reply.code(202).send({ siteId: site.id, running: true });
    },
  );

  app.get(
    '/api/inspections',
    {
      config: { access: 'read' },
      schema: { tags, summary: 'Inspections, newest first (customers see their own)', querystring: Type.Object({ siteId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }), response: withErrors({ 200: ListOf(Inspection) }) },
    },
    async (req) => {
      const scope = customerScope(principalOf(req));
      const items = await service.list({ siteId: req.query.siteId, customerId: scope ?? undefined, ...(req.query.limit ? { limit: req.query.limit } : {}) });
      return { items: items.map(view) };
    },
  );

  app.get(
    '/api/inspections/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'One inspection: facts, results with findings and fixes', params: IdParams, response: withErrors({ 200: Inspection }) } },
    async (req) => view(await visibleInspection(req, req.params.id)),
  );

  app.get(
    '/api/inspections/:id/baseline-diff',
    { config: { access: 'read' }, schema: { tags, summary: 'How each controller’s configuration in this inspection differs from the approved baseline', params: IdParams, response: withErrors({ 200: ListOf(Diff) }) } },
    async (req) => {
      const v = await visibleInspection(req, req.params.id);
      if (v.facts === null || v.agentId === null) return { items: [] };
      const base = await service.store.baselines(v.agentId);
      return { items: v.facts.configuration.controllers.map((c) => ({ device: c.device, baseline: base.has(c.device), changes: base.has(c.device) ? configDiff(base.get(c.device) as typeof c, c) : [] })) };
    },
  );

  app.post(
    '/api/inspections/:id/approve-baseline',
    { config: { access: 'write' }, schema: { tags, summary: 'Approve the controllers’ configuration found by this inspection as the baseline', params: IdParams, response: withErrors({ 200: Type.Object({ devices: Type.Array(Type.String()) }) }) } },
    async (req) => {
      const v = await visibleInspection(req, req.params.id);
      const out = await service.approveBaseline(v.id, principalOf(req).userId);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'inspection.approve-baseline', entity: 'inspection', entityId: v.id, details: out });
      return out;
    },
  );

  app.get(
    '/api/inspection-templates',
    { config: { access: 'read' }, schema: { tags, summary: 'Inspection templates (base and seasonal) and the checks they enable', response: withErrors({ 200: Type.Object({ items: Type.Array(Template), checks: Type.Array(Type.String()) }) }) } },
    async () => ({ items: await service.store.templates(), checks: CHECK_IDS }),
  );

  app.put(
    '/api/inspection-templates/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Create or change a template', params: IdParams, body: Template, response: withErrors({ 200: Template }) } },
    async (req) => {
      if (req.body.id !== req.params.id) throw invalid('body.id', 'must equal the id in the path');
      const bad = req.body.checks.find((c) => !CHECK_IDS.includes(c));
      if (bad !== undefined) throw invalid('body.checks', `unknown check ${bad}; known: ${CHECK_IDS.join(', ')}`);
      if (req.body.kind === 'seasonal' && (req.body.months ?? []).length === 0) throw invalid('body.months', 'a seasonal template needs its months');
      await service.store.saveTemplate(req.body);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'inspection.template', entity: 'inspection-template', entityId: req.body.id, details: { checks: req.body.checks.length } });
      return req.body;
    },
  );

  app.get(
    '/api/supported-versions',
    { config: { access: 'read' }, schema: { tags, summary: 'The supported-versions matrix (controller firmware, OS, Node.js)', response: withErrors({ 200: ListOf(VersionRow) }) } },
    async () => ({ items: await service.store.matrix() }),
  );

  app.post(
    '/api/supported-versions',
    { config: { access: 'write' }, schema: { tags, summary: 'Add a row to the supported-versions matrix', body: NewVersion, response: withErrors({ 201: VersionRow }) } },
    async (req, reply) => {
      const row = await service.store.addVersion(req.body);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'supported-version.add', entity: 'supported-version', entityId: String(row.id), details: req.body });
      return reply.code(201).send(row);
    },
  );

  app.delete(
    '/api/supported-versions/:id',
    { config: { access: 'write' }, schema: { tags, summary: 'Remove a row of the supported-versions matrix', params: Type.Object({ id: Type.Integer() }), response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      if (!(await service.store.deleteVersion(req.params.id))) throw notFound('supported version', req.params.id);
      await writeAudit(ctx.state.db, { at: ctx.now(), actor: actorOf(req), action: 'supported-version.delete', entity: 'supported-version', entityId: String(req.params.id), details: {} });
      return reply.code(204).send(null);
    },
  );
};
