/**
 * SLA policies and business calendars: CRUD for admins and engineers; calendars are readable
 * by every signed-in user, a customer user sees only the policy of its own contract. Each
 * customer has one policy (`PUT /api/customers/{id}/sla`), else the built-in `default` one.
 * `POST /api/sla/preview` computes deadlines and clock states for a fault opened at a given
 * time — for the UI, and to check a policy before it is assigned.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { writeAudit } from '../audit/log.js';
import { customerScope } from '../auth/principal.js';
import { HubError, conflict, invalid, notFound } from '../errors.js';
import { calendarIssues, type BusinessCalendar } from '../sla/calendar.js';
import { DEFAULT_POLICY, slaDeadlines, slaStatus, type SlaClock } from '../sla/policy.js';
import { BUILT_IN_ID, calendarColumns, customerSla, findCalendar, findPolicy, policyColumns, policyIdOf, policyWithCalendar, toCalendar, toPolicy, type StoredCalendar, type StoredPolicy } from '../sla/store.js';
import { visibleCustomer } from './customers.js';
import { Id, IdParams, ListOf, Ms, Name, Nullable, withErrors } from './schemas.js';
import { actorOf, principalOf, type RouteModule } from './types.js';

// ── schemas ────────────────────────────────────────────────────────────────────────────

// Formats of times and dates are checked by calendarIssues, whose messages say what to write.
const ClockTime = Type.String({ minLength: 1, maxLength: 5, description: 'local time HH:MM; a closing time may be 24:00' });
const Hours = Type.Object({ start: ClockTime, end: ClockTime }, { additionalProperties: false, description: 'working hours of a day, local time; end after start' });
const Weekday = Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday' });
const WeekdayHours = Type.Object(
  { 1: Type.Optional(Hours), 2: Type.Optional(Hours), 3: Type.Optional(Hours), 4: Type.Optional(Hours), 5: Type.Optional(Hours), 6: Type.Optional(Hours), 7: Type.Optional(Hours) },
  { additionalProperties: false, description: 'hours that differ on some working days, keyed by ISO weekday (e.g. {"6": {"start":"09:00","end":"13:00"}})' },
);
const CalendarFields = {
  name: Name,
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone the hours and holidays are read in, e.g. Europe/Berlin' }),
  workingDays: Type.Array(Weekday, { maxItems: 7, description: 'working weekdays; default Monday–Friday' }),
  hours: Hours,
  weekdayHours: WeekdayHours,
  holidays: Type.Array(Type.String({ minLength: 1, maxLength: 10, description: 'local date YYYY-MM-DD' }), { maxItems: 2000, description: 'dates that are not working days' }),
  twentyFourSeven: Type.Boolean({ description: 'every instant is working time (hours, weekdays and holidays are ignored)' }),
};
const o = Type.Optional;
const CreateCalendar = Type.Object(
  { name: CalendarFields.name, timeZone: CalendarFields.timeZone, workingDays: o(CalendarFields.workingDays), hours: o(CalendarFields.hours), weekdayHours: o(CalendarFields.weekdayHours), holidays: o(CalendarFields.holidays), twentyFourSeven: o(CalendarFields.twentyFourSeven) },
  { additionalProperties: false },
);
const PatchCalendar = Type.Object(
  { name: o(CalendarFields.name), timeZone: o(CalendarFields.timeZone), workingDays: o(CalendarFields.workingDays), hours: o(CalendarFields.hours), weekdayHours: o(CalendarFields.weekdayHours), holidays: o(CalendarFields.holidays), twentyFourSeven: o(CalendarFields.twentyFourSeven) },
  { additionalProperties: false, minProperties: 1 },
);
const Calendar = Type.Object({ id: Id, ...CalendarFields, builtIn: Type.Boolean(), createdAt: Ms, updatedAt: Ms });

const Basis = Type.Enum(['business', 'calendar'], { description: "'business': counts only working time of the policy's calendar; 'calendar': all elapsed time" });
const ClockHours = Type.Number({ exclusiveMinimum: 0, maximum: 8760, description: 'allowance in hours (fractions allowed)' });
const Respond = Type.Object({ hours: ClockHours, calendar: o(Basis) }, { additionalProperties: false, description: "time to respond; calendar defaults to 'business'" });
const OnSite = Type.Object({ hours: o(ClockHours), calendar: o(Basis) }, { additionalProperties: false, description: "time to be on site; default 24 hours, 'calendar'" });
const Resolve = Type.Object(
  { workingDays: Type.Integer({ minimum: 1, maximum: 365, description: 'resolved by the close of the Nth full working day of the calendar (the day of an in-hours fault does not count)' }) },
  { additionalProperties: false },
);
const WarnPct = Type.Number({ minimum: 0, maximum: 100, description: 'warn when this % of a clock is left (0 = never); default 20' });
const PolicyInput = { respondWithin: o(Respond), onSiteWithin: o(OnSite), resolveWithin: o(Resolve), warnBeforePct: o(WarnPct), calendarId: o(Id) };
const CreatePolicy = Type.Object({ name: Name, ...PolicyInput }, { additionalProperties: false });
const PatchPolicy = Type.Object({ name: o(Name), ...PolicyInput }, { additionalProperties: false, minProperties: 1 });
const Policy = Type.Object({
  id: Id,
  name: Name,
  respondWithin: Type.Object({ hours: Type.Number(), calendar: Basis }),
  onSiteWithin: Type.Object({ hours: Type.Number(), calendar: Basis }),
  resolveWithin: Type.Object({ workingDays: Type.Integer() }),
  warnBeforePct: Type.Number(),
  calendarId: Id,
  builtIn: Type.Boolean(),
  createdAt: Ms,
  updatedAt: Ms,
});

const CustomerSlaBody = Type.Object({ policyId: Id }, { additionalProperties: false });
const CustomerSlaView = Type.Object({
  customerId: Id,
  source: Type.Enum(['contract', 'default'], { description: "'default' when the customer has no policy of its own" }),
  policy: Policy,
  calendar: Calendar,
});

const Milestones = Type.Object(
  { respondedAt: o(Ms), onSiteAt: o(Ms), resolvedAt: o(Ms) },
  { additionalProperties: false, description: 'what happened so far; arriving on site counts as a response, resolving as both' },
);
const PreviewBody = Type.Object(
  {
    policyId: o(Id),
    customerId: o(Type.String({ minLength: 1, maxLength: 128, description: "use this customer's policy (instead of policyId)" })),
    openedAt: Ms,
    milestones: o(Milestones),
    at: o(Type.Integer({ description: 'the "now" of the clock states, ms since the Unix epoch; default: now' })),
  },
  { additionalProperties: false },
);
const ClockView = Type.Object({
  state: Type.Enum(['running', 'warning', 'breached', 'met', 'met-late']),
  basis: Basis,
  startsAt: Ms,
  deadline: Ms,
  warnAt: Nullable(Ms),
  allowanceMs: Type.Integer(),
  remainingMs: Type.Integer({ description: 'left at `at`, or when met; negative when late; business time for business clocks' }),
  metAt: Nullable(Ms),
});
const Preview = Type.Object({
  policyId: Id,
  calendarId: Id,
  openedAt: Ms,
  at: Ms,
  respondBy: Ms,
  onSiteBy: Ms,
  resolveBy: Ms,
  clocks: Type.Object({ respond: ClockView, onSite: ClockView, resolve: ClockView }),
});

// ── mapping and checks ─────────────────────────────────────────────────────────────────

const calendarView = (c: StoredCalendar): Static<typeof Calendar> => ({
  id: c.id,
  name: c.name,
  timeZone: c.timeZone,
  workingDays: [...c.workingDays],
  hours: c.hours,
  weekdayHours: c.weekdayHours ?? {},
  holidays: [...c.holidays],
  twentyFourSeven: c.twentyFourSeven === true,
  builtIn: c.id === BUILT_IN_ID,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

const policyView = (p: StoredPolicy): Static<typeof Policy> => ({ ...p, builtIn: p.id === BUILT_IN_ID });

/** All problems of a calendar at once, as a 400 naming each body field. */
function checkCalendar(cal: BusinessCalendar): void {
  const issues = calendarIssues(cal).map((i) => ({ field: `body.${i.field}`, message: i.message }));
  if (issues.length === 0) return;
  throw new HubError('validation', `invalid calendar: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, { details: issues });
}

function calendarFrom(b: Partial<Static<typeof CreateCalendar>>, base: StoredCalendar | undefined): BusinessCalendar & { name: string } {
  const weekdayHours = b.weekdayHours ?? base?.weekdayHours;
  return {
    name: b.name ?? base?.name ?? '',
    timeZone: b.timeZone ?? base?.timeZone ?? 'UTC',
    workingDays: b.workingDays ?? base?.workingDays ?? [1, 2, 3, 4, 5],
    hours: b.hours ?? base?.hours ?? { start: '08:00', end: '18:00' },
    holidays: b.holidays ?? base?.holidays ?? [],
    twentyFourSeven: b.twentyFourSeven ?? base?.twentyFourSeven ?? false,
    ...(weekdayHours !== undefined && Object.keys(weekdayHours).length > 0 ? { weekdayHours } : {}),
  };
}

function policyFrom(b: Partial<Static<typeof CreatePolicy>>, base: StoredPolicy | undefined) {
  const cur = base ?? { ...DEFAULT_POLICY, calendarId: BUILT_IN_ID };
  return {
    name: b.name ?? cur.name,
    respondWithin: { hours: b.respondWithin?.hours ?? cur.respondWithin.hours, calendar: b.respondWithin?.calendar ?? cur.respondWithin.calendar },
    onSiteWithin: { hours: b.onSiteWithin?.hours ?? cur.onSiteWithin.hours, calendar: b.onSiteWithin?.calendar ?? cur.onSiteWithin.calendar },
    resolveWithin: { workingDays: b.resolveWithin?.workingDays ?? cur.resolveWithin.workingDays },
    warnBeforePct: b.warnBeforePct ?? cur.warnBeforePct,
    calendarId: b.calendarId ?? cur.calendarId,
  };
}

/** Clock states cost time linear in the days they span: keep a preview within ten years of openedAt. */
const PREVIEW_SPAN_MS = 10 * 366 * 86_400_000;

function checkPreviewTimes(openedAt: number, at: number, milestones: Static<typeof Milestones>): void {
  if (Math.abs(at - openedAt) > PREVIEW_SPAN_MS) throw invalid('body.at', 'must be within ten years of openedAt');
  for (const [name, t] of Object.entries(milestones)) {
    if (t < openedAt) throw invalid(`body.milestones.${name}`, 'must not be before openedAt');
    if (t - openedAt > PREVIEW_SPAN_MS) throw invalid(`body.milestones.${name}`, 'must be within ten years of openedAt');
  }
}

// ── routes ─────────────────────────────────────────────────────────────────────────────

export const slaRoutes: RouteModule = (app, ctx) => {
  const db = ctx.state.db;

  const calendarOr404 = async (id: string): Promise<StoredCalendar> => {
    const cal = await findCalendar(db, id);
    if (cal === undefined) throw notFound('calendar', id);
    return cal;
  };

  /** The policy, if the caller may see it: staff see all, a customer only its own contract's. */
  const visiblePolicy = async (req: FastifyRequest, id: string): Promise<StoredPolicy> => {
    const scope = customerScope(principalOf(req));
    const policy = await findPolicy(db, id);
    if (policy === undefined || (scope !== null && (await policyIdOf(db, scope)).policyId !== id)) throw notFound('sla policy', id);
    return policy;
  };

  const checkCalendarId = async (id: string) => {
    if ((await findCalendar(db, id)) === undefined) throw invalid('body.calendarId', `calendar ${id} does not exist`);
  };

  app.get(
    '/api/calendars',
    { config: { access: 'read' }, schema: { tags: ['sla'], summary: 'List business calendars', response: withErrors({ 200: ListOf(Calendar) }) } },
    async () => ({ items: (await db.selectFrom('business_calendars').selectAll().orderBy('name').execute()).map((r) => calendarView(toCalendar(r))) }),
  );

  app.get(
    '/api/calendars/:id',
    { config: { access: 'read' }, schema: { tags: ['sla'], summary: 'Get a business calendar', params: IdParams, response: withErrors({ 200: Calendar }) } },
    async (req) => calendarView(await calendarOr404(req.params.id)),
  );

  app.post(
    '/api/calendars',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Create a business calendar (working days, hours, holidays, time zone)', body: CreateCalendar, response: withErrors({ 201: Calendar }) } },
    async (req, reply) => {
      const cal = calendarFrom(req.body, undefined);
      checkCalendar(cal);
      const now = ctx.now();
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('business_calendars').values({ id, ...calendarColumns(cal), created_at: now, updated_at: now }).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'calendar.create', entity: 'calendar', entityId: id, details: { ...req.body } });
      });
      return reply.code(201).send(calendarView(await calendarOr404(id)));
    },
  );

  app.patch(
    '/api/calendars/:id',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Change a business calendar (deadlines computed later use it)', params: IdParams, body: PatchCalendar, response: withErrors({ 200: Calendar }) } },
    async (req) => {
      const cur = await calendarOr404(req.params.id);
      const cal = calendarFrom(req.body, cur);
      checkCalendar(cal);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('business_calendars').set({ ...calendarColumns(cal), updated_at: now }).where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'calendar.update', entity: 'calendar', entityId: cur.id, details: { changes: { ...req.body } } });
      });
      return calendarView(await calendarOr404(cur.id));
    },
  );

  app.delete(
    '/api/calendars/:id',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Delete a business calendar no policy uses', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await calendarOr404(req.params.id);
      if (cur.id === BUILT_IN_ID) throw conflict('the built-in default calendar cannot be deleted; edit it instead');
      const user = await db.selectFrom('sla_policies').select('id').where('calendar_id', '=', cur.id).executeTakeFirst();
      if (user !== undefined) throw conflict(`calendar ${cur.id} is used by sla policy ${user.id}; move the policy to another calendar first`);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('business_calendars').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'calendar.delete', entity: 'calendar', entityId: cur.id, details: { name: cur.name } });
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/sla-policies',
    { config: { access: 'read' }, schema: { tags: ['sla'], summary: 'List SLA policies (a customer sees only its own)', response: withErrors({ 200: ListOf(Policy) }) } },
    async (req) => {
      const scope = customerScope(principalOf(req));
      let q = db.selectFrom('sla_policies').selectAll().orderBy('name');
      if (scope !== null) q = q.where('id', '=', (await policyIdOf(db, scope)).policyId);
      return { items: (await q.execute()).map((r) => policyView(toPolicy(r))) };
    },
  );

  app.get(
    '/api/sla-policies/:id',
    { config: { access: 'read' }, schema: { tags: ['sla'], summary: 'Get an SLA policy', params: IdParams, response: withErrors({ 200: Policy }) } },
    async (req) => policyView(await visiblePolicy(req, req.params.id)),
  );

  app.post(
    '/api/sla-policies',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Create an SLA policy; omitted fields take the standard policy’s values', body: CreatePolicy, response: withErrors({ 201: Policy }) } },
    async (req, reply) => {
      const p = policyFrom(req.body, undefined);
      await checkCalendarId(p.calendarId);
      const now = ctx.now();
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('sla_policies').values({ id, ...policyColumns(p), created_at: now, updated_at: now }).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'sla-policy.create', entity: 'sla-policy', entityId: id, details: { ...req.body } });
      });
      return reply.code(201).send(policyView({ id, ...p, createdAt: now, updatedAt: now }));
    },
  );

  app.patch(
    '/api/sla-policies/:id',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Change an SLA policy', params: IdParams, body: PatchPolicy, response: withErrors({ 200: Policy }) } },
    async (req) => {
      const cur = await visiblePolicy(req, req.params.id);
      const p = policyFrom(req.body, cur);
      if (req.body.calendarId !== undefined) await checkCalendarId(p.calendarId);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('sla_policies').set({ ...policyColumns(p), updated_at: now }).where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'sla-policy.update', entity: 'sla-policy', entityId: cur.id, details: { changes: { ...req.body } } });
      });
      return policyView({ ...cur, ...p, updatedAt: now });
    },
  );

  app.delete(
    '/api/sla-policies/:id',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Delete an SLA policy no customer has', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const cur = await visiblePolicy(req, req.params.id);
      if (cur.id === BUILT_IN_ID) throw conflict('the built-in default policy cannot be deleted; edit it instead');
      const holder = await db.selectFrom('customer_sla').select('customer_id').where('policy_id', '=', cur.id).executeTakeFirst();
      if (holder !== undefined) throw conflict(`sla policy ${cur.id} is the contract of customer ${holder.customer_id}; assign that customer another policy first`);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sla_policies').where('id', '=', cur.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'sla-policy.delete', entity: 'sla-policy', entityId: cur.id, details: { name: cur.name } });
      });
      return reply.code(204).send(null);
    },
  );

  const customerSlaView = async (customerId: string): Promise<Static<typeof CustomerSlaView>> => {
    const s = await customerSla(db, customerId);
    return { customerId, source: s.source, policy: policyView(s.policy), calendar: calendarView(s.calendar) };
  };

  app.get(
    '/api/customers/:id/sla',
    { config: { access: 'read' }, schema: { tags: ['sla'], summary: 'The SLA policy and calendar of a customer’s contract', params: IdParams, response: withErrors({ 200: CustomerSlaView }) } },
    async (req) => customerSlaView((await visibleCustomer(ctx, req, req.params.id)).id),
  );

  app.put(
    '/api/customers/:id/sla',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Set the SLA policy of a customer’s contract', params: IdParams, body: CustomerSlaBody, response: withErrors({ 200: CustomerSlaView }) } },
    async (req) => {
      const customer = await visibleCustomer(ctx, req, req.params.id);
      const { policyId } = req.body;
      if ((await findPolicy(db, policyId)) === undefined) throw invalid('body.policyId', `sla policy ${policyId} does not exist`);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('customer_sla')
          .values({ customer_id: customer.id, policy_id: policyId, updated_at: now })
          .onConflict((oc) => oc.column('customer_id').doUpdateSet({ policy_id: policyId, updated_at: now }))
          .execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.sla.set', entity: 'customer', entityId: customer.id, details: { policyId } });
      });
      return customerSlaView(customer.id);
    },
  );

  app.delete(
    '/api/customers/:id/sla',
    { config: { access: 'write' }, schema: { tags: ['sla'], summary: 'Put a customer back on the default SLA policy', params: IdParams, response: withErrors({ 204: Type.Null() }) } },
    async (req, reply) => {
      const customer = await visibleCustomer(ctx, req, req.params.id);
      const now = ctx.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('customer_sla').where('customer_id', '=', customer.id).execute();
        await writeAudit(trx, { at: now, actor: actorOf(req), action: 'customer.sla.clear', entity: 'customer', entityId: customer.id });
      });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/sla/preview',
    {
      config: { access: 'read' },
      schema: {
        tags: ['sla'],
        summary: 'Deadlines and clock states of a fault opened at openedAt, under a policy (default: the caller’s contract or the built-in one)',
        body: PreviewBody,
        response: withErrors({ 200: Preview }),
      },
    },
    async (req) => {
      const b = req.body;
      if (b.policyId !== undefined && b.customerId !== undefined) throw invalid('body.customerId', 'give policyId or customerId, not both');
      const scope = customerScope(principalOf(req));
      const customerId = b.customerId ?? scope;
      const policyId =
        b.policyId !== undefined ? (await visiblePolicy(req, b.policyId)).id : customerId !== null ? (await policyIdOf(db, (await visibleCustomer(ctx, req, customerId)).id)).policyId : BUILT_IN_ID;
      const found = await policyWithCalendar(db, policyId);
      if (found === undefined) throw notFound('sla policy', policyId);
      const at = b.at ?? ctx.now();
      checkPreviewTimes(b.openedAt, at, b.milestones ?? {});
      const deadlines = slaDeadlines(found.policy, found.calendar, b.openedAt);
      const status = slaStatus(deadlines, b.milestones ?? {}, at);
      const clock = (c: SlaClock) => ({ ...status[c], startsAt: deadlines.clocks[c].startsAt, allowanceMs: deadlines.clocks[c].allowanceMs });
      const { respondBy, onSiteBy, resolveBy } = deadlines;
      return { policyId, calendarId: found.calendar.id, openedAt: b.openedAt, at, respondBy, onSiteBy, resolveBy, clocks: { respond: clock('respond'), onSite: clock('onSite'), resolve: clock('resolve') } };
    },
  );
};
